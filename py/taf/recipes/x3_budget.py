"""X-3 — budget pre-flight: given a dollar budget, what model can I train (or can I train this one)?"""
from __future__ import annotations

import math

from .. import formulas as F
from .. import quantities as Q
from ..errors import InputError
from ..formulas import limits as L
from .base import Verdict, GPU, GPU_PRICE, MFU, Param, Recipe, N_GPUS
from .common import CAVEAT_TEXT, fmt_usd, training_steps

PARAMS = [
    Param("USD_budget", "number", "what you can spend on GPU time", unit="USD", default=5000.0,
          min=0, max=L.MAX_USD, min_exclusive=True),
    GPU, MFU.renamed(default=None, optional=True, help="model FLOPs utilisation of the whole run; empty = "
                     "calibrated on published runs for the model size and GPU (with their goodput)"),
    N_GPUS.renamed(default=1), GPU_PRICE,
    Param("tokens_per_param", "number", "Chinchilla tokens per parameter", default=20.0,
          min=0, max=1e6, min_exclusive=True),
    Param("target_N_params", "number", "a model size you want to train (empty = whatever the budget allows)",
          unit="params", optional=True, min=1, max=L.MAX_PARAMS, group="model",
          aliases=("n_params",)),
]


CALIBRATION_ROUNDS = 6  # the budget's model size and its calibrated MFU settle within 1e-6 in a few rounds


def _mfu(p, gpu, hours) -> tuple:
    """(MFU, where from): the person's, or the calibrated one for the model to train (target_N_params, else
    the Chinchilla size the budget buys — which depends on the MFU: a few fixed-point rounds)."""
    if p["mfu"] is not None:
        return p["mfu"], "given"
    if p["target_N_params"] is not None:
        return Q.calibrated_training_mfu(p["target_N_params"], gpu)
    mfu, where = Q.DEFAULT_MFU, ""
    for _ in range(CALIBRATION_ROUNDS):
        flops = gpu["bf16_tflops"] * 1e12 * mfu * p["n_gpus"] * hours * 3600
        size = max(F.chinchilla_n_for_flops(min(flops, L.MAX_FLOPS), p["tokens_per_param"]), 1.0)
        mfu, where = Q.calibrated_training_mfu(size, gpu)
    return mfu, where


def compute(p, chain, caveats):
    info = Q.gpu(p["gpu"])
    price = Q.gpu_price(info, p["gpu_usd_per_hour"])
    if not price:
        raise InputError("gpu_usd_per_hour", f"{info['name']} has no rental price (or a price of 0): a "
                         "dollar budget then buys unlimited time. Enter your real cost per GPU-hour "
                         "(power + amortisation) in gpu_usd_per_hour")
    n_gpus, ratio = p["n_gpus"], p["tokens_per_param"]
    hours = p["USD_budget"] / (price * n_gpus)
    chain.add("§20.11", "Affordable wall-clock time", "s = USD ÷ (USD/h·n_gpus) · 3600",
              {"usd": p["USD_budget"], "gpu": info["name"], "usd_per_gpu_hour": price, "n_gpus": n_gpus},
              hours * 3600, f"{hours:,.0f} hours on {n_gpus}× {info['name']} ({hours / 24:,.1f} days)",
              unit="s")
    mfu, mfu_from = _mfu(p, info, hours)
    max_flops = info["bf16_tflops"] * 1e12 * mfu * n_gpus * hours * 3600
    if max_flops > L.MAX_FLOPS:  # a near-zero price buys unbounded compute: name the input at fault
        field = "gpu_usd_per_hour" if p["gpu_usd_per_hour"] is not None else "USD_budget"
        raise InputError(field, f"at this price the budget buys {max_flops:.3g} FLOPs, beyond the "
                         f"{L.MAX_FLOPS:.0e} this tool plans for: check {field}")
    chain.add("§17.10", "Max training FLOPs", "C = peak FLOP/s·MFU·n_gpus·s",
              {"peak_flops_per_s": info["bf16_tflops"] * 1e12, "mfu": mfu, "mfu_from": mfu_from, "n_gpus": n_gpus,
               "seconds": hours * 3600},
              max_flops, f"{max_flops:.2e} effective FLOPs", unit="FLOPs", figures={"budget_flops": max_flops},
              at={"usd": p["USD_budget"], "gpu": info["name"], "mfu": mfu, "usd_per_gpu_hour": price})
    caveats.add("flops_convention_6nd", CAVEAT_TEXT["flops_convention_6nd"])
    n_opt = F.chinchilla_n_for_flops(max_flops, ratio)
    d_opt = ratio * n_opt
    chain.add("§17.30", "Chinchilla-optimal N", f"N = √(C / (6·{ratio:g})) at D = {ratio:g}·N",
              {"max_FLOPs": max_flops, "tokens_per_param": ratio}, n_opt,
              f"N ≈ {n_opt:.2e} params with D = {d_opt:.2e} tokens", unit="params",
              figures={"chinchilla_params": n_opt},
              at={"usd": p["USD_budget"], "gpu": info["name"], "mfu": mfu, "usd_per_gpu_hour": price,
                  "tokens_per_param": ratio})
    n_plan = p["target_N_params"] or n_opt
    tier = F.emergent_threshold(n_plan)
    chain.add("§17.60", "Emergence threshold", "tier by N: 1e8 / 1e9 / 1e10 / 1e11 (Wei 2022)",
              {"N": n_plan}, tier, tier)
    mem = F.training_memory_16N(n_plan)
    vram_total = info["vram_gb"] * n_gpus
    fits_one = mem["GB"] <= info["vram_gb"]
    fits_sharded = mem["GB"] <= vram_total
    chain.add("§17.20", "16N training memory", "bytes = 16·N (weights + grads + AdamW states)",
              {"N": n_plan, "memory_bytes_per_gpu": info["vram_gb"] * 1e9, "n_gpus": n_gpus}, mem["bytes"],
              f"{mem['GB']:,.1f} GB needed; " + ("fits one GPU" if fits_one else
              f"fits {n_gpus} GPUs sharded (ZeRO-3/FSDP)" if fits_sharded else
              f"EXCEEDS {vram_total:,.0f} GB across {n_gpus} GPU(s)"), unit="bytes",
              figures={"training_memory_bytes": mem["bytes"]}, at={"n_params": n_plan})
    need_gpus = math.ceil(mem["GB"] / info["vram_gb"])

    if p["target_N_params"] is not None:
        target = p["target_N_params"]
        if ratio * target > L.MAX_TOKENS:
            raise InputError("tokens_per_param", f"tokens_per_param × target_N_params = {ratio * target:.3g} "
                             f"training tokens, beyond the {L.MAX_TOKENS:.0e} this tool plans for")
        chain.add("§17.30", "Training tokens for this model", f"D = {ratio:g}·N", {"N": target}, ratio * target,
                  f"D = {ratio * target:.2e} tokens (Chinchilla-optimal)", unit="tokens",
                  figures={"training_tokens": ratio * target})
        flops, run = training_steps(target, ratio * target, "6N", info, n_gpus, p["mfu"], price, chain)  # None: calibrated
        cost_needed = run["usd"]
        share = p["USD_budget"] / cost_needed
        chain.add("§20.11", "Budget vs this model", "share = budget USD ÷ training USD",
                  {"usd": p["USD_budget"], "training_usd": cost_needed}, share,
                  f"the budget covers {share * 100:,.1f}% of a Chinchilla-optimal run of this model")
        if share < 1:
            return Verdict("OVER BUDGET", "critical",
                    f"Training {target:.2e} params on {ratio * target:.2e} tokens needs about "
                    f"{fmt_usd(cost_needed)}; the budget covers {share * 100:.1f}%.",
                    "Fine-tune (LoRA) a pretrained model of this size, train a smaller model "
                    f"(≈ {n_opt:.1e} params), or raise the budget to {fmt_usd(cost_needed)}.")
        if not fits_sharded:
            return Verdict("MEMORY-LIMITED", "warning",
                    f"Affordable, but 16·N = {mem['GB']:,.0f} GB does not fit {n_gpus}× {info['name']}.",
                    f"Shard with ZeRO-3 across ≥ {need_gpus}× {info['name']}.")
        worst = chain.figures["training_usd"].get("high")
        if worst is not None and worst > p["USD_budget"]:  # the estimate is calibrated, not exact: its band says how far
            return Verdict("AFFORDABLE IF THE ESTIMATE HOLDS", "warning",
                    f"A Chinchilla-optimal run of this model costs about {fmt_usd(cost_needed)} of your "
                    f"${p['USD_budget']:,.0f}, but published runs have cost up to {fmt_usd(worst)} for such an "
                    f"estimate (the top of its 80 % band): the budget may not cover it.",
                    f"Keep a reserve up to {fmt_usd(worst)}, or plan a smaller model or fewer tokens "
                    f"(≈ {n_opt:.1e} params at this budget).")
        return Verdict("AFFORDABLE", "ok",
                f"A Chinchilla-optimal run of this model costs about {fmt_usd(cost_needed)} of your "
                f"${p['USD_budget']:,.0f}, within the top of its 80 % band ({fmt_usd(worst)})"
                if worst is not None else
                f"A Chinchilla-optimal run of this model costs about {fmt_usd(cost_needed)} of your "
                f"${p['USD_budget']:,.0f}.", "None — proceed.")
    if n_opt < 1e8:
        return Verdict("TINY-MODEL", "warning", f"The budget supports only ~{n_opt:.0e} params.",
                "Use LoRA fine-tuning of a larger pretrained model instead.")
    if not fits_sharded:
        return Verdict("MEMORY-LIMITED", "warning",
                f"Chinchilla N ({n_opt:.1e}) needs {mem['GB']:,.0f} GB, more than {n_gpus}× {info['name']}.",
                f"Use ZeRO-3 across ≥ {need_gpus}× {info['name']}, or train a smaller N undertrained.")
    if not fits_one:
        caveats.add("needs_sharding", f"16·N = {mem['GB']:,.0f} GB exceeds one {info['name']}: "
                    f"the run needs ZeRO-3/FSDP sharding across the {n_gpus} GPUs.")
    tier_short = tier.split("—")[0].strip()
    return Verdict("GO", "ok",
            f"With ${p['USD_budget']:,.0f}, train a {n_opt:.1e}-param model on {d_opt:.1e} tokens in "
            f"~{hours / 24:,.1f} days. Capability tier: {tier_short}.",
            "None — proceed with the Chinchilla-optimal recipe.")


RECIPE = Recipe("X-3", "Budget Pre-flight", "Given a $ budget, what model is feasible to train?",
                "training-budget", ["§17", "§20"], PARAMS, compute)
