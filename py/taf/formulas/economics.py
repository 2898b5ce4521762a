"""§24 — economics: API prices, blended price, break-even volume of custom training."""
from __future__ import annotations

from .. import validate
from . import _check as c


def api_blended_price(api_model, input_share=0.5) -> float:
    """§24.1 — blended USD/Mtok = share·input + (1 − share)·output (share of input tokens).

    `api_model` is a price record {"input_usd_per_mtok", "output_usd_per_mtok"} (the catalog's);
    the seed's call by name (api_model="GPT-4o") is `taf.seed`'s."""
    if isinstance(api_model, str):
        raise c.InputError("api_model", f"taf.formulas takes a price record, not a name ({api_model!r}); "
                           "taf.seed and the recipes look names up in the catalog")
    prices = validate.mapping("api_model", api_model)
    share = validate.number("input_share", input_share, lo=0, hi=1)
    price_in = c.nonneg(prices.get("input_usd_per_mtok"), "input_usd_per_mtok", c.L.MAX_USD)
    price_out = c.nonneg(prices.get("output_usd_per_mtok"), "output_usd_per_mtok", c.L.MAX_USD)
    return share * price_in + (1 - share) * price_out


def break_even_volume(training_cost, self_inference_per_Mtok, api_per_Mtok,
                      blend_input_output=0.5) -> dict:
    """§24.3 — break-even Mtok = training cost ÷ (API − self-host USD/Mtok); none if savings ≤ 0.

    `api_per_Mtok` is a blended price, or a pair {"input": .., "output": ..} that is blended
    with `blend_input_output` (the share of input tokens)."""
    cost = c.nonneg(training_cost, "training_cost", c.L.MAX_USD)
    self_price = c.nonneg(self_inference_per_Mtok, "self_inference_per_Mtok", c.L.MAX_USD)
    share = validate.number("blend_input_output", blend_input_output, lo=0, hi=1)
    if isinstance(api_per_Mtok, dict):
        api_in = c.nonneg(api_per_Mtok.get("input"), "api_per_Mtok.input", c.L.MAX_USD)
        api_out = c.nonneg(api_per_Mtok.get("output"), "api_per_Mtok.output", c.L.MAX_USD)
        api_price = share * api_in + (1 - share) * api_out
    else:
        api_price = c.nonneg(api_per_Mtok, "api_per_Mtok", c.L.MAX_USD)
    savings = api_price - self_price
    if savings <= 0:
        return {"savings_per_Mtok": savings, "Mtok_breakeven": None, "tokens_breakeven": None,
                "breaks_even": False,
                "error": "self-host more expensive than API per token; never breaks even"}
    mtok = cost / savings
    return {"savings_per_Mtok": savings, "Mtok_breakeven": mtok, "tokens_breakeven": mtok * 1e6,
            "breaks_even": True}

