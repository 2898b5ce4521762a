"""Steps more than one recipe (and the profile) take, written once."""
from __future__ import annotations

from .. import formulas as F
from .. import quantities as Q
from ..errors import InputError
from .base import Chain, Caveats

CAVEAT_TEXT = {
    "swa_correction_disabled": "The sliding-window correction δ_SWA is disabled: it was fit on one "
                               "model (n=1). γ for this SWA model carries no SWA adjustment.",
    "post_ih_correction_exploratory": "The post-induction-head correction δ_post_IH = −0.15 is "
                                      "exploratory: it did not replicate (group mean ≈ 0).",
    "decode_upper_bound": "Decode speed is memory-bound: bytes read per token (active weights plus the KV "
                          "cache at the stated context) ÷ achieved bandwidth, plus a fixed time per step "
                          "(kernel launches, sampling, scheduling). The achieved share of bandwidth is "
                          "calibrated on published measurements for the weight format and the GPU's memory "
                          "kind, the overhead on all of them (no engine named here: engines pooled); the 80 % "
                          "band shows how far such predictions landed from measurements of setups left out of the fit "
                          "(the Accuracy view).",
    "flops_convention_6nd": "Training FLOPs use C = 6·N·D, which leaves out attention FLOPs "
                            "(≈ +22% for a 1.2B model at 4K context).",
}


def phase_label(gamma: float) -> str:
    """The seed's one-line phase wording, read off the one zone table."""
    zone = F.gamma_zone(gamma)["zone"]
    if zone == "negative":
        return "Phase B / catastrophic (γ ≤ 0 — T too large for θ)"
    if zone == "hagedorn":
        return "Phase B / Hagedorn"
    return "Phase A (long-range OK)"


def gamma_steps(p: dict, t_eval: int, chain: Chain, caveats: Caveats):
    """γ_Padé then the v1 decomposition; returns (γ_Padé, decomposition dict)."""
    g_pade = F.gamma_pade(p["theta"], t_eval)
    chain.add("§26.1", "γ_Padé", "γ = (2θ − T√2)/(2θ + T√2)", {"theta": p["theta"], "T_eval": t_eval},
              g_pade, phase_label(g_pade), figures={"gamma_pade": g_pade}, at={"context": t_eval})
    has_gqa = p["n_kv_heads"] < p["n_attention_heads"]
    decomp = F.gamma_decompose(g_pade, has_GQA=has_gqa, has_SWA=p["has_SWA"], n_params=p["n_params"])
    chain.add("§26.10", "γ-decomposition",
              f"γ_corrected = γ_Padé + δ_GQA ({decomp['delta_GQA']:+.2f}) + δ_SWA (0, disabled)"
              f" + δ_post_IH ({decomp['delta_post_IH']:+.2f})",
              {"gamma_pade": g_pade, "has_GQA": has_gqa, "has_SWA": p["has_SWA"],
               "n_params": p["n_params"]},
              decomp["gamma_corrected"], phase_label(decomp["gamma_corrected"]),
              figures={"gamma_corrected": decomp["gamma_corrected"]}, at={"context": t_eval}, breakdown=decomp)
    if p["has_SWA"]:
        caveats.add("swa_correction_disabled", CAVEAT_TEXT["swa_correction_disabled"])
    if decomp["delta_post_IH"]:
        caveats.add("post_ih_correction_exploratory", CAVEAT_TEXT["post_ih_correction_exploratory"])
    return g_pade, decomp


def kv_step(arch: dict, context: int, bytes_per_element: float, chain: Chain, caveats: Caveats | None = None,
            name="KV cache (per request)"):
    """§19.1 by layer kind — the one KV step (X-2, X-5, X-19, X-FIT, the profile). Produces
    kv_bytes and kv_bytes_per_token; says where the seed's plain 2·L·n_kv·d·T·B differs."""
    kv = Q.kv_cache(arch, context, bytes_per_element)
    per_token = kv["bytes_per_token"]
    chain.add("§19.1", name, "Σ over layer kinds: full 2·n_kv·d_head·T·B, sliding 2·n_kv·d_head·min(T, W)·B, "
              "MLA (kv_lora_rank + rope dim)·T·B, recurrent: a constant state·B",
              {"attention": arch.get("attention"), "layers": kv["layers"], "context": context,
               "bytes_per_element": bytes_per_element}, kv["bytes"],
              f"{kv['bytes'] / 1e9:,.4g} GB per request at {context:,} tokens; it {kv['growth']}",
              unit="bytes", figures={"kv_bytes": kv["bytes"], "kv_bytes_per_token": per_token},
              at={"context": context, "kv_bytes_per_element": bytes_per_element}, breakdown=kv["by_kind"])
    if caveats is not None and kv["layers"]["full"] != sum(kv["layers"].values()):
        plain = _seed_kv_bytes(arch, context, bytes_per_element)
        if plain is not None and plain != kv["bytes"]:
            caveats.add("kv_architecture_aware", f"KV memory counts this model's layer kinds "
                        f"({', '.join(f'{n} {k}' for k, n in kv['layers'].items() if n)}): "
                        f"{kv['bytes'] / 1e9:,.4g} GB at {context:,} tokens, where the seed's plain "
                        f"2·L·n_kv·d_head·T·B gives {plain / 1e9:,.4g} GB.")
    return kv


def _seed_kv_bytes(arch, context, bytes_per_element):
    try:
        return F.kv_cache_bytes(arch["n_layers"], arch["n_kv_heads"], arch["d_head"], context, bytes_per_element)
    except (KeyError, InputError):
        return None


def weights_step(n_params: float, bits_per_weight: float, chain: Chain, what=""):
    """§19.3 — the one weights step: bytes = N · bits ÷ 8."""
    w = Q.weights_bytes(n_params, bits_per_weight)
    chain.add("§19.3", "Weights in memory", f"bytes = N × {bits_per_weight:g} bits ÷ 8{what}",
              {"n_params": n_params, "bits_per_weight": bits_per_weight}, w,
              f"{w / 1e9:,.2f} GB of weights", unit="bytes", figures={"weights_bytes": w},
              at={"bits_per_weight": bits_per_weight})
    return w


def decode_step(active_weights_bytes: float, kv_bytes_per_request: float, users: int, gpu: dict,
                fraction: float, price, chain: Chain, at: dict):
    """§19.7 / §20.12 — the one decode-speed and $/Mtok step: per request f·HBM ÷ (W + users·KV),
    all requests × users; USD/Mtok from the aggregate speed and the GPU's hourly price."""
    speed = Q.decode_tokens_per_s(active_weights_bytes, kv_bytes_per_request, users, gpu, fraction,
                                  Q.weight_family_from_bits(at["bits_per_weight"]))
    fraction, overhead = speed["achieved_bandwidth_fraction"], speed["overhead_s"]
    usd = Q.usd_per_million_tokens(speed["total"], price)
    at = {**at, "gpu": gpu["name"], "concurrent_users": users, "achieved_bandwidth_fraction": fraction,
          "decode_overhead_s": overhead}
    chain.add("§19.7", f"Decode speed on one {gpu['name']}",
              "step = (active weight bytes + users·KV bytes) ÷ (f·HBM bytes/s) + fixed overhead o; "
              "tok/s per request = 1 ÷ step; all = users × that",
              {"active_weights_bytes": active_weights_bytes, "kv_bytes_per_request": kv_bytes_per_request,
               "concurrent_users": users, "hbm_bytes_per_s": gpu["hbm_gb_per_s"] * 1e9,
               "achieved_bandwidth_fraction": fraction, "decode_overhead_s": overhead,
               "overhead_from": Q.calibrated_decode_overhead(None)[1]}, speed["per_request"],
              f"{speed['per_request']:,.1f} tokens/s per request" +
              (f", {speed['total']:,.0f} tokens/s in all" if users > 1 else ""), unit="tokens/s",
              figures={"decode_tokens_per_s": speed["per_request"], "decode_tokens_per_s_total": speed["total"]},
              at=at)
    chain.add("§20.12", "Self-hosted cost per million tokens", "USD/Mtok = USD/h ÷ (tokens/s · 3600 ÷ 1e6)",
              {"tokens_per_s": speed["total"], "usd_per_gpu_hour": price}, usd,
              "no price for this GPU: enter gpu_usd_per_hour" if usd is None else
              f"${usd:,.2f} per million generated tokens", unit="USD/Mtok",
              figures={"usd_per_million_tokens": usd}, at={**at, "usd_per_gpu_hour": price})
    band_figures(chain, ("decode_tokens_per_s", "decode_tokens_per_s_total"), "decode_tokens_per_s")
    band_figures(chain, ("usd_per_million_tokens",), "decode_tokens_per_s", inverse=True)
    return speed, usd


def band_figures(chain: Chain, names, category: str, inverse=False, max_ratio=None):
    """An achieved figure's 80 % band: how far the calibration's predictions of its category landed for
    sources left out of the fit (exact figures, bytes, carry none); `inverse` for a figure that falls as
    the category rises (cost per token as speed rises); `max_ratio` the most the category's figure could
    be above its estimate (a speed at the whole peak). The step that produced it lists the band too."""
    ratios = Q.band_ratios(category)
    if not ratios:
        return
    if max_ratio is not None:
        ratios = (min(ratios[0], max_ratio), min(ratios[1], max_ratio))
    for name in names:
        entry = chain.figures.get(name)
        if not entry or entry["value"] is None:
            continue
        chain.banded.add(category)
        value = entry["value"]
        low, high = (value / ratios[1], value / ratios[0]) if inverse else (value * ratios[0], value * ratios[1])
        entry["low"], entry["high"] = low, high
        if entry.get("step"):
            chain.steps[entry["step"] - 1].setdefault("bands", {})[name] = {"low": low, "high": high}


def training_steps(n_params_active: float, tokens: float, convention: str, gpu: dict, n_gpus: int, mfu: float,
                   price, chain: Chain, arch_for_attention: tuple = (None, None, None)):
    """§17.10 / §20.11 — the one training-compute and training-cost steps (X-1, X-3)."""
    n_layers, d_model, seq_len = arch_for_attention
    flops = Q.training_flops(n_params_active, tokens, convention, n_layers, d_model, seq_len)
    at = {"n_params_active": n_params_active, "training_tokens": tokens, "flops_convention": convention}
    chain.add("§17.10", "Training FLOPs", "C = 6·N·D" if convention == "6N" else "C = (6·N + 12·L·d·T)·D",
              {"N": n_params_active, "D": tokens, "convention": flops["convention"]}, flops["flops"],
              f"{flops['flops']:.3g} FLOPs — {flops['convention']}", unit="FLOPs",
              figures={"training_flops": flops["flops"]}, at=at)
    mfu_from = "given"
    if mfu is None:
        mfu, mfu_from = Q.calibrated_training_mfu(n_params_active, gpu)
    run = Q.training_run(flops["flops"], gpu, n_gpus, mfu, price)
    chain.add("§20.11", "Training time and cost",
              "s = C ÷ (peak·MFU·n_gpus); GPU-hours = s ÷ 3600 · n_gpus; USD = GPU-hours · USD/h",
              {"gpu": gpu["name"], "peak_flops_per_s": gpu["bf16_tflops"] * 1e12, "n_gpus": n_gpus, "mfu": mfu,
               "mfu_from": mfu_from,
               "usd_per_gpu_hour": price}, run["usd"],
              f"{run['gpu_hours']:,.0f} GPU-hours ({run['seconds'] / 86400:,.1f} days on {n_gpus}× {gpu['name']})"
              + ("" if run["usd"] is None else f", {fmt_usd(run['usd'])}"), unit="USD",
              figures={"training_gpu_hours": (run["gpu_hours"], {**at, "gpu": gpu["name"], "mfu": mfu}),
                       "training_s": (run["seconds"], {**at, "gpu": gpu["name"], "mfu": mfu, "n_gpus": n_gpus}),
                       "training_usd": (run["usd"], {**at, "gpu": gpu["name"], "mfu": mfu,
                                                     "usd_per_gpu_hour": price})})
    if mfu_from != "given":  # the band says how far the calibrated MFU landed; a given MFU is the person's own
        band_figures(chain, ("training_gpu_hours", "training_s", "training_usd"), "training_gpu_hours")
    return flops, run


def fmt_usd(x) -> str:
    """Dollars for a sentence: cents below $10, whole dollars above."""
    return f"${x:,.2f}" if x < 10 else f"${x:,.0f}"


def fmt_tokens(x) -> str:
    return "n/a" if x is None else f"{x:,.0f}"
