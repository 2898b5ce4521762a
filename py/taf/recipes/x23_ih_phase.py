"""X-23 — IH phase: is this checkpoint before or after induction-head formation?"""
from __future__ import annotations

from .. import formulas as F
from ..formulas.imprint import POST_IH_MIN_PARAMS_M
from ..formulas import limits as L
from .base import Verdict, Param, Recipe, model_param

MIN_PARAMS = 1e3  # §30's ih_phase_check reads the size in millions of parameters, from 0.001 M: the form says so

PARAMS = [model_param("n_params", min=MIN_PARAMS), model_param("position_encoding"),
          Param("gamma_text", "number", "γ measured on natural text", optional=True,
                min=-L.MAX_GAMMA, max=L.MAX_GAMMA, group="measurement"),
          Param("gamma_random", "number", "γ measured on random tokens", optional=True,
                min=-L.MAX_GAMMA, max=L.MAX_GAMMA, group="measurement"),
          Param("tolerance", "number", "|Δγ| at or below this is too small to call", default=0.0,
                min=0, max=10)]


def compute(p, chain, caveats):
    n_m = p["n_params"] / 1e6
    expected = "post-IH" if n_m >= POST_IH_MIN_PARAMS_M else "pre-IH"
    chain.add("§30", "Size-based phase prediction", f"P ≥ {POST_IH_MIN_PARAMS_M:g} M ⇒ post-IH",
              {"n_params_M": n_m, "threshold_M": POST_IH_MIN_PARAMS_M}, expected,
              f"by size alone: {expected}")
    text, rand = p["gamma_text"], p["gamma_random"]
    if text is None or rand is None:
        if (text is None) != (rand is None):
            missing = "gamma_random" if rand is None else "gamma_text"
            caveats.add("one_gamma_missing", f"Only one γ was given; {missing} is missing, so the "
                        "Δγ probe cannot run.")
        return Verdict(f"PREDICTED {expected.upper()}", "info",
                f"Only size given: P = {n_m:,.0f} M. Provide gamma_text and gamma_random to verify "
                "with the Δγ probe.", "Run the E4 protocol on natural text and on random tokens; compare γ.")
    check = F.ih_phase_check(text, rand, n_m, p["tolerance"])
    delta = check["delta_gamma"]
    chain.add("§30", "Δγ discriminator", "Δγ = γ_text − γ_random; > 0 post-IH, < 0 pre-IH",
              {"gamma_text": text, "gamma_random": rand, "tolerance": p["tolerance"]}, delta,
              f"observed phase: {check['phase_observed']}", figures={"delta_gamma": delta},
              at={"gamma_text": text, "gamma_random": rand}, breakdown=check)
    caveats.add("ih_panel_overlap", "Panel means −0.19 (pre-IH) and +0.03 (post-IH) are far closer "
                "than their spread (σ = 0.26): a single Δγ is weak evidence.")
    if check["phase_observed"] == "ambiguous":
        return Verdict("INCONCLUSIVE", "info",
                f"Δγ = {delta:+.3f} is within the tolerance {p['tolerance']:g}: the probe cannot tell.",
                "Measure again with more prompts, or rely on the size prediction.")
    if check["consistent"]:
        return Verdict(f"CONFIRMED {check['phase_observed'].upper()}", "ok",
                f"Δγ = {delta:+.3f}: its sign matches the size prediction ({expected}).",
                "Phase confirmed. Use this checkpoint accordingly.")
    return Verdict("ANOMALY", "warning",
            f"Δγ = {delta:+.3f} suggests {check['phase_observed']}, but size predicts {expected}.",
            "Possible causes: incomplete training, anomalous fine-tuning, format conversion, "
            "tokenizer corruption (cf. F5 OLMo Δγ = 0.30).")


RECIPE = Recipe("X-23", "IH-Phase Detector",
                "Is this model pre- or post-induction-head? Cheap probe via sign(γ_text − γ_random).",
                "diagnostic", ["§30"], PARAMS, compute,
                needs="attention", gated_steps=(("§30", "Size-based phase prediction"), ("§30", "Δγ discriminator")))
