"""X-1 — custom training vs API: does training your own model pay back within your horizon?"""
from __future__ import annotations

import math

from .. import catalog

from .. import formulas as F
from .. import quantities as Q
from ..errors import InputError
from ..figures import SECONDS_PER_MONTH
from ..formulas import limits as L
from .base import (Verdict, ACHIEVED_BANDWIDTH, BYTES_PER_WEIGHT, GPU, GPU_PRICE, KV_BYTES_SERVING, MFU, N_GPUS,
                   SERVING_CONTEXT, Param, Recipe, model_param)
from .charts import line_chart
from .common import CAVEAT_TEXT, decode_step, kv_step, training_steps, weights_step

PARAMS = [
    Param("N_params", "number", "parameters of the model you would train", unit="params",
          min=1, max=L.MAX_PARAMS, group="model", aliases=("n_params",)),
    Param("D_tokens", "number", "training tokens; empty = Chinchilla-optimal 20·N; 0 = serve an existing "
          "model (no training): self-host or pay an API?", unit="tokens", optional=True, min=0, max=L.MAX_TOKENS),
    Param("N_params_active", "number", "MoE: parameters active per token (FLOPs and decode use these; "
          "memory uses all); empty = dense", unit="params", optional=True, min=1, max=L.MAX_PARAMS, group="model", aliases=("n_params_active",)),
    Param("flops_convention", "choice", "6N: C = 6·N·D (the seed's); 6N+attention: adds 12·L·d·T per "
          "token (needs layers, hidden size and training context, e.g. from a preset)", default="6N",
          choices=("6N", "6N+attention")),
    model_param("n_layers", optional=True),
    Param("d_model", "integer", "hidden size (for the attention term)", min=1, max=10**7, optional=True,
          group="model"),
    Param("T_train", "integer", "training sequence length (for the attention term)", unit="tokens",
          min=1, max=L.MAX_CONTEXT, optional=True, group="model"),
    GPU, N_GPUS, MFU.renamed(default=None, optional=True, help="model FLOPs utilisation of the whole run; empty = "
                             "calibrated on published runs for this model size and GPU (with their goodput)"), GPU_PRICE,
    Param("api_model", "choice", "the API you would otherwise pay for", default="GPT-4o",
          choices=catalog.api_names, choice_noun="API model"),
    Param("input_share", "number", "share of your tokens that are input (prompt) tokens",
          default=0.5, min=0, max=1),
    Param("monthly_tokens_M", "number", "tokens you process per month, in millions",
          unit="Mtok/month", default=10.0, min=0, max=1e12),
    Param("payback_horizon_months", "number",
          "custom training must pay back within this many months to be worth it",
          unit="months", default=12.0, min=0, max=1200, min_exclusive=True),
    BYTES_PER_WEIGHT.renamed(aliases=("serve_bytes_per_weight",)), KV_BYTES_SERVING, SERVING_CONTEXT,
    Param("concurrent_users", "integer", "requests served at once on the self-hosted GPU (batching lowers $/Mtok)",
          unit="users", default=1, min=1, max=10_000_000),
    ACHIEVED_BANDWIDTH,
]

UNKNOWN_ARCHITECTURE = ("n_layers", "n_kv_heads", "d_head")  # absent: a bare N_params, KV left out
SEED_DECODE_NOTE = ("Self-hosted speed and $/Mtok come from the one decode function every recipe uses "
                    "(achieved bandwidth × HBM ÷ active weights + the KV cache at the stated context), so "
                    "they match X-5; the seed's X-1 divided peak bandwidth by the weights alone, a faster "
                    "and cheaper figure no engine reaches.")


def _require_price(p, price):
    if price is None:
        raise InputError("gpu_usd_per_hour", f"{p['gpu']} has no rental price in the catalog "
                         "(a local card): enter your own cost per GPU-hour in gpu_usd_per_hour")


def compute(p, chain, caveats):
    n = p["N_params"]
    gpu = Q.gpu(p["gpu"])
    price = Q.gpu_price(gpu, p["gpu_usd_per_hour"])
    _require_price(p, price)
    if p["D_tokens"] == 0:
        verdict, chart = _serve_only(p, n, gpu, price, chain, caveats)
        return verdict if p.get("_summary") else verdict._replace(extras={**verdict.extras, "charts": [chart]})
    if p["D_tokens"] is None:
        d = F.chinchilla_optimal_tokens(n)
        chain.add("§17.30", "Chinchilla optimal D", "D = 20·N", {"N_params": n}, d,
                  f"recommended D = {d:.2e} tokens", unit="tokens", figures={"training_tokens": d})
    else:
        d = chain.add("§17.30", "Training tokens (given)", "D = D_tokens", {"D_tokens": p["D_tokens"]},
                      p["D_tokens"], f"D = {p['D_tokens']:.2e} tokens as given", unit="tokens",
                      figures={"training_tokens": p["D_tokens"]})
    active = p["N_params_active"] or p["arch"].get("n_params_active") or n  # MoE: only the active experts compute
    if p["flops_convention"] == "6N":
        caveats.add("flops_convention_6nd", CAVEAT_TEXT["flops_convention_6nd"])
    else:
        for field in ("n_layers", "d_model", "T_train"):
            if p[field] is None:
                raise InputError(field, f"the 6N+attention convention needs {field} (choose a model preset, "
                                 "import a config, or enter it)")
    _, run = training_steps(active, d, p["flops_convention"], gpu, p["n_gpus"], p["mfu"], price, chain,
                            (p["n_layers"], p["d_model"], p["T_train"]))
    _, self_usd = _self_host_steps(p, n, gpu, price, chain, caveats)
    caveats.add("seed_figure_changed_decode", SEED_DECODE_NOTE)
    api_price = _api_price_step(p, chain)
    be = F.break_even_volume(run["usd"], self_usd, api_price)
    where = {**chain.figures["training_usd"]["at"], **chain.figures["usd_per_million_tokens"]["at"],
             **chain.figures["api_usd_per_million_tokens"]["at"], "n_gpus": p["n_gpus"]}
    monthly, horizon = p["monthly_tokens_M"], p["payback_horizon_months"]
    months = None
    if be["breaks_even"] and monthly > 0:
        months = be["Mtok_breakeven"] / monthly
    if not be["breaks_even"]:
        interp = be["error"]
    elif months is None:
        interp = f"break-even at {be['Mtok_breakeven']:,.0f} Mtok; with 0 tokens/month it never pays back"
    else:
        interp = (f"break-even at {be['Mtok_breakeven']:,.0f} Mtok "
                  f"({months:,.1f} months at {monthly:g} M/month)")
    chain.add("§24.3", "Break-even volume", "Mtok = training USD ÷ (API − self-host USD/Mtok); months = Mtok ÷ monthly",
              {"training_usd": run["usd"], "self_usd_per_Mtok": self_usd,
               "api_usd_per_Mtok": api_price, "monthly_tokens_M": monthly},
              be["tokens_breakeven"], interp, unit="tokens",
              figures={"break_even_tokens": be["tokens_breakeven"],
                       "payback_s": (None if months is None else months * SECONDS_PER_MONTH,
                                     {**where, "monthly_tokens_M": monthly})},
              at=where,
              breakdown={**be, "payback_months": months})
    if not be["breaks_even"]:
        return Verdict("NO (API)", "critical", be["error"] + ".", f"Stick with the {p['api_model']} API.")
    if months is None:
        return Verdict("NO (API)", "critical", "With no monthly volume, custom training never pays back.",
                f"Use the {p['api_model']} API.")
    if months <= horizon:
        when = f"{months:,.1f} months" if months >= 0.1 else "under a tenth of a month"
        return Verdict("YES (custom)", "ok",
                f"At {monthly:g} M tokens/month, training pays back in {when}, "
                f"within your {horizon:g}-month horizon.",
                f"Train on {p['n_gpus']}× {p['gpu']}; serve self-hosted.")
    return Verdict("NO (API)", "critical",
            f"At {monthly:g} M tokens/month, training pays back in {months:,.1f} months, beyond "
            f"your {horizon:g}-month horizon.",
            f"Use the {p['api_model']} API (cheaper for your volume), or revisit at "
            f"{be['Mtok_breakeven'] / horizon:,.0f} M tokens/month.")


def _self_host_steps(p, n, gpu, price, chain, caveats):
    """Weights, KV and the decode/cost steps of self-hosting (the functions every recipe uses)."""
    active = p["N_params_active"] or p["arch"].get("n_params_active") or n
    bits = p["bytes_per_weight"] * 8
    kv_element = p["kv_bytes_per_element"] or p["bytes_per_weight"]
    weights_step(n, bits, chain)
    at = {"bits_per_weight": bits, "kv_bytes_per_element": kv_element, "context": p["context"],
          "n_params_active": active}
    try:
        kv = kv_step(p["arch"], p["context"], kv_element, chain, caveats)["bytes"]
    except InputError as exc:
        if exc.field not in UNKNOWN_ARCHITECTURE or p["arch"].get(exc.field) is not None:
            raise
        kv, at = 0.0, {**at, "kv_counted": False}
        caveats.add("kv_not_counted", "The KV cache is not counted in the decode speed: the architecture "
                    f"is unknown ({exc.field} missing). Choose a model preset or import a config.json.")
    speed, usd = decode_step(Q.weights_bytes(active, bits), kv, p["concurrent_users"], gpu,
                             p["achieved_bandwidth_fraction"], price, chain, at=at)
    caveats.add("decode_upper_bound", CAVEAT_TEXT["decode_upper_bound"])
    return speed, usd


def _api_price_step(p, chain) -> float:
    """§24.1 — the API's blended price, with the date the list price was read."""
    api_price = F.api_blended_price(catalog.api(p["api_model"]), p["input_share"])
    chain.add("§24.1", f"{p['api_model']} blended price",
              f"{p['input_share']:g}·input + {1 - p['input_share']:g}·output USD/Mtok",
              {"api_model": p["api_model"], "input_share": p["input_share"]}, api_price,
              f"${api_price:.2f}/Mtok blended (list price as of {catalog.api(p['api_model']).get('as_of', '?')}; "
              "check the provider)", unit="USD/Mtok",
              figures={"api_usd_per_million_tokens": api_price},
              at={"api_model": p["api_model"], "input_share": p["input_share"]})
    return api_price


def _with(chart, *verdict):
    return Verdict(*verdict), chart


def _cost_chart(p, gpu, monthly_usd, capacity_m, api_price, break_even_m) -> dict:
    """USD per month against monthly volume: the API grows with every token, self-hosting is the rent of
    as many replicas as the volume needs; the break-even marked."""
    lo, hi = max(break_even_m / 100, 0.01), max(break_even_m * 100, p["monthly_tokens_M"] * 2, 1.0)
    volumes = sorted({round(lo * (hi / lo) ** (k / 40), 6) for k in range(41)} | {p["monthly_tokens_M"] or lo})
    api = [{"x": v, "y": v * api_price} for v in volumes if v > 0]
    own = [{"x": v, "y": max(1, math.ceil(v / capacity_m)) * monthly_usd} for v in volumes if v > 0]
    return line_chart("usd_vs_volume", f"Cost per month: {p['api_model']} API against {p['n_gpus']}× {gpu['name']}",
                      "tokens per month (millions)", "Mtok/month", "log10", "USD per month", "USD",
                      [{"name": "api", "label": f"{p['api_model']} API", "points": api},
                       {"name": "self_hosted", "label": f"self-hosted (replicas of {p['n_gpus']}× {gpu['name']})",
                        "points": own}],
                      marks=[{"x": break_even_m, "label": f"break-even {break_even_m:,.0f} M/month"}]
                      + ([{"x": p["monthly_tokens_M"], "label": "your volume"}] if p["monthly_tokens_M"] else []),
                      y_scale="log10")


def _serve_only(p, n, gpu, price, chain, caveats):
    """D_tokens = 0: no training. Self-hosting rents the GPUs by the hour whatever the volume; the API
    charges per token. Break-even volume = GPU USD per month ÷ API USD per Mtok, within capacity."""
    chain.add("§17.30", "Training tokens (given)", "D = 0: serve an existing model", {"D_tokens": 0}, 0,
              "no training: self-hosting an existing model against the API", unit="tokens",
              figures={"training_tokens": 0.0})
    speed, self_usd = _self_host_steps(p, n, gpu, price, chain, caveats)
    api_price = _api_price_step(p, chain)
    monthly_usd = price * p["n_gpus"] * SECONDS_PER_MONTH / 3600
    capacity_m = speed["total"] * p["n_gpus"] * SECONDS_PER_MONTH / 1e6
    break_even_m = monthly_usd / api_price
    monthly = p["monthly_tokens_M"]
    chart = _cost_chart(p, gpu, monthly_usd, capacity_m, api_price, break_even_m)
    chain.add("§24.3", "Serving break-even volume",
              "Mtok/month = n_gpus · USD/h · hours per month ÷ API USD/Mtok; capacity = tokens/s · seconds per month",
              {"usd_per_gpu_hour": price, "n_gpus": p["n_gpus"], "self_host_usd_per_month": monthly_usd,
               "api_usd_per_Mtok": api_price, "capacity_Mtok_per_month": capacity_m}, break_even_m * 1e6,
              f"self-hosting costs ${monthly_usd:,.0f}/month on {p['n_gpus']}× {gpu['name']}; the API costs the same at "
              f"{break_even_m:,.0f} Mtok/month; the GPUs can produce {capacity_m:,.0f} Mtok/month",
              unit="tokens", figures={"break_even_tokens": (break_even_m * 1e6, {
                  "api_model": p["api_model"], "input_share": p["input_share"], "gpu": gpu["name"],
                  "n_gpus": p["n_gpus"], "usd_per_gpu_hour": price, "per": "month"})})
    if break_even_m > capacity_m:
        return _with(chart, "NO (API)", "critical", f"{p['n_gpus']}× {gpu['name']} cannot produce the {break_even_m:,.0f} "
                       f"Mtok/month at which self-hosting would match the {p['api_model']} API (capacity "
                       f"{capacity_m:,.0f} Mtok/month at {p['concurrent_users']} concurrent request(s)).",
                       f"Use the API, or serve more concurrent requests per GPU (self-hosted ${self_usd:,.2f}/Mtok now).")
    if monthly >= break_even_m:
        if monthly > capacity_m:
            return _with(chart, "YES (self-host, add GPUs)", "warning", f"At {monthly:g} M tokens/month self-hosting is "
                           f"cheaper than the API (break-even {break_even_m:,.0f} M/month), but {p['n_gpus']}× "
                           f"{gpu['name']} produce only {capacity_m:,.0f} M/month.",
                           f"Add replicas: about {math.ceil(monthly / capacity_m)}× this deployment.")
        return _with(chart, "YES (self-host)", "ok", f"At {monthly:g} M tokens/month self-hosting costs ${monthly_usd:,.0f} "
                       f"against ${monthly * api_price:,.0f} for the {p['api_model']} API (break-even "
                       f"{break_even_m:,.0f} M/month).", f"Serve it yourself on {p['n_gpus']}× {gpu['name']}.")
    return _with(chart, "NO (API)", "critical", f"At {monthly:g} M tokens/month the {p['api_model']} API costs "
                   f"${monthly * api_price:,.0f}/month; renting {p['n_gpus']}× {gpu['name']} costs ${monthly_usd:,.0f}. "
                   f"Self-hosting pays from {break_even_m:,.0f} M tokens/month.", f"Use the {p['api_model']} API.")


RECIPE = Recipe("X-1", "Custom Training vs API",
                "Should I train a custom model or use a frontier API for my domain task?",
                "build-vs-buy", ["§17", "§19", "§20", "§24"], PARAMS, compute)
