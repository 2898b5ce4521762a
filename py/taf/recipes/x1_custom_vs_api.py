"""X-1 — custom training vs API: does training your own model pay back within your horizon?"""
from __future__ import annotations

from .. import catalog

from .. import formulas as F
from ..errors import InputError
from ..formulas import limits as L
from .base import GPU, GPU_PRICE, MFU, N_GPUS, Param, Recipe, model_param
from .common import CAVEAT_TEXT

PARAMS = [
    Param("N_params", "number", "parameters of the model you would train", unit="params",
          min=0, max=L.MAX_PARAMS, min_exclusive=True, group="model", aliases=("n_params",)),
    Param("D_tokens", "number", "training tokens; empty = Chinchilla-optimal 20·N", unit="tokens",
          optional=True, min=0, max=L.MAX_TOKENS, min_exclusive=True),
    Param("N_params_active", "number", "MoE: parameters active per token (FLOPs and decode use these; "
          "memory uses all); empty = dense", unit="params", optional=True, min=0, max=L.MAX_PARAMS,
          min_exclusive=True, group="model", aliases=("n_params_active",)),
    Param("flops_convention", "choice", "6N: C = 6·N·D (the seed's); 6N+attention: adds 12·L·d·T per "
          "token (needs layers, hidden size and training context, e.g. from a preset)", default="6N",
          choices=("6N", "6N+attention")),
    model_param("n_layers", optional=True),
    Param("d_model", "integer", "hidden size (for the attention term)", min=1, max=10**7, optional=True,
          group="model"),
    Param("T_train", "integer", "training sequence length (for the attention term)", unit="tokens",
          min=1, max=L.MAX_CONTEXT, optional=True, group="model"),
    GPU, N_GPUS, MFU, GPU_PRICE,
    Param("api_model", "choice", "the API you would otherwise pay for", default="GPT-4o", choices=catalog.api_names,
                 choice_noun="API model"),
    Param("input_share", "number", "share of your tokens that are input (prompt) tokens",
          default=0.5, min=0, max=1),
    Param("monthly_tokens_M", "number", "tokens you process per month, in millions",
          unit="Mtok/month", default=10.0, min=0, max=1e12),
    Param("payback_horizon_months", "number",
          "custom training must pay back within this many months to be worth it",
          unit="months", default=12.0, min=0, max=1200, min_exclusive=True),
    Param("serve_bytes_per_weight", "number", "serving precision in bytes per weight (bf16 2, int8 1, int4 0.5)",
          unit="bytes", default=2.0, min=0, max=L.MAX_BYTES_PER_ELEMENT, min_exclusive=True),
]


def _require_price(p, price):
    if price is None:
        raise InputError("gpu_usd_per_hour", f"{p['gpu']} has no rental price in the catalog "
                         "(a local card): enter your own cost per GPU-hour in gpu_usd_per_hour")


def compute(p, chain, caveats):
    n = p["N_params"]
    if p["D_tokens"] is None:
        d = F.chinchilla_optimal_tokens(n)
        chain.add("§17.30", "Chinchilla optimal D", "D = 20·N", {"N_params": n}, d,
                  f"recommended D = {d:.2e} tokens", unit="tokens")
    else:
        d = chain.add("§17.30", "Training tokens (given)", "D = D_tokens", {"D_tokens": p["D_tokens"]},
                      p["D_tokens"], f"D = {p['D_tokens']:.2e} tokens as given", unit="tokens")
    n_flops = p["N_params_active"] or n  # MoE: only the active experts compute
    if p["flops_convention"] == "6N":
        per_token = F.training_flops_per_token(n_flops, convention="6N")
        caveats.add("flops_convention_6nd", CAVEAT_TEXT["flops_convention_6nd"])
    else:
        for field in ("n_layers", "d_model", "T_train"):
            if p[field] is None:
                raise InputError(field, f"the 6N+attention convention needs {field} (choose a model preset, "
                                 "import a config, or enter it)")
        per_token = F.training_flops_per_token(n_flops, p["n_layers"], p["d_model"], p["T_train"])
    flops = per_token["flops_per_token"] * d
    chain.add("§17.10", "Training FLOPs", "C = 6·N·D" if p["flops_convention"] == "6N" else "C = (6·N + 12·L·d·T)·D",
              {"N": n_flops, "D": d, "convention": per_token["convention"]}, flops,
              f"{flops:.2e} FLOPs total — {per_token['convention']}" +
              (" with the active parameters (MoE)" if p["N_params_active"] else ""), unit="FLOPs")
    cost = F.cost_for_flops(flops, gpu=p["gpu"], n_gpus=p["n_gpus"], mfu=p["mfu"],
                            gpu_usd_per_hour=p["gpu_usd_per_hour"])
    _require_price(p, cost["usd_per_gpu_hour"])
    chain.add("§20.11", "Training cost",
              "hours = C ÷ (peak·1e12·MFU·n_gpus·3600); USD = hours·USD/h·n_gpus",
              {"gpu": p["gpu"], "n_gpus": p["n_gpus"], "mfu": p["mfu"],
               "usd_per_gpu_hour": cost["usd_per_gpu_hour"]},
              cost, f"${cost['USD']:,.0f} over {cost['days']:.1f} days", unit="USD")
    model_gb = F.model_weights_memory(n_flops, p["serve_bytes_per_weight"])["GB"]  # bytes read per token
    inf = F.cost_per_inference_token(model_gb, p["gpu"], batch=1,
                                     gpu_usd_per_hour=p["gpu_usd_per_hour"])
    chain.add("§19.9 / §20.12", "Self-inference $/Mtok",
              "tok/s = HBM GB/s ÷ model GB; $/Mtok = USD/h ÷ (tok/s·3600 ÷ 1e6)",
              {"weights_read_GB": model_gb, "gpu": p["gpu"], "batch": 1}, inf,
              f"${inf['USD_per_Mtok']:.2f} per million tokens (single user)", unit="USD/Mtok")
    caveats.add("decode_upper_bound", CAVEAT_TEXT["decode_upper_bound"])
    api_price = F.api_blended_price(p["api_model"], p["input_share"])
    chain.add("§24.1", f"{p['api_model']} blended price",
              f"{p['input_share']:g}·input + {1 - p['input_share']:g}·output USD/Mtok",
              {"api_model": p["api_model"], "input_share": p["input_share"]}, api_price,
              f"${api_price:.2f}/Mtok blended", unit="USD/Mtok")
    be = F.break_even_volume(cost["USD"], inf["USD_per_Mtok"], api_price)
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
              {"training_cost": cost["USD"], "self_USD_per_Mtok": inf["USD_per_Mtok"],
               "api_USD_per_Mtok": api_price, "monthly_tokens_M": monthly},
              {**be, "payback_months": months}, interp, unit="Mtok")
    if not be["breaks_even"]:
        return ("NO (API)", "critical", be["error"] + ".", f"Stick with the {p['api_model']} API.")
    if months is None:
        return ("NO (API)", "critical", "With no monthly volume, custom training never pays back.",
                f"Use the {p['api_model']} API.")
    if months <= horizon:
        when = f"{months:,.1f} months" if months >= 0.1 else "under a tenth of a month"
        return ("YES (custom)", "ok",
                f"At {monthly:g} M tokens/month, training pays back in {when}, "
                f"within your {horizon:g}-month horizon.",
                f"Train on {p['n_gpus']}× {p['gpu']}; serve self-hosted.")
    return ("NO (API)", "critical",
            f"At {monthly:g} M tokens/month, training pays back in {months:,.1f} months, beyond "
            f"your {horizon:g}-month horizon.",
            f"Use the {p['api_model']} API (cheaper for your volume), or revisit at "
            f"{be['Mtok_breakeven'] / horizon:,.0f} M tokens/month.")


RECIPE = Recipe("X-1", "Custom Training vs API",
                "Should I train a custom model or use a frontier API for my domain task?",
                "build-vs-buy", ["§17", "§19", "§20", "§24"], PARAMS, compute)
