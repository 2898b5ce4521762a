"""X-21 — imprint purity: how far is the model's random-token γ from the learned-imprint law?"""
from __future__ import annotations

from .. import formulas as F
from ..formulas.imprint import IMPRINT_CI_95, NU_IMPRINT, P_0_IMPRINT_M
from ..formulas import limits as L
from .base import CONTEXT_FIELDS, Verdict, T_EVAL, Param, Recipe, model_param, t_eval_defaults_to_t_train
from .common import phase_label

PARAMS = [model_param("position_encoding"), model_param("theta"), model_param("T_train"), model_param("n_params"),
          *(model_param(n) for n in CONTEXT_FIELDS), T_EVAL,
          Param("gamma_random_obs", "number", "γ you measured on RANDOM-token input (empty = predict only)",
                optional=True, min=-L.MAX_GAMMA, max=L.MAX_GAMMA, group="measurement")]


def compute(p, chain, caveats):
    t_eval, n_m = p["T_eval"], p["n_params"] / 1e6
    g_pade = F.gamma_pade(p["theta"], t_eval)
    chain.add("§26.1", "γ_Padé", "γ = (2θ − T√2)/(2θ + T√2)", {"theta": p["theta"], "T_eval": t_eval},
              g_pade, phase_label(g_pade), figures={"gamma_pade": g_pade}, at={"context": t_eval})
    shift = F.imprint_shift(n_m)
    chain.add("§28.1", "Imprint shift", "ν·log10(P / P₀), ν = −1/(2π), P₀ = 14 M",
              {"P_M": n_m, "P_0_M": P_0_IMPRINT_M, "nu": NU_IMPRINT}, shift,
              "bigger model → stronger imprint (more negative shift)")
    pred = g_pade + shift
    chain.add("§28.1", "γ_random predicted", "γ_Padé + ν·log10(P / P₀)",
              {"gamma_pade": g_pade, "imprint": shift}, pred,
              f"predicted γ_random = {pred:.4f} ± {IMPRINT_CI_95} (95% CI)",
              figures={"gamma_random_predicted": pred}, at={"context": t_eval})
    caveats.add("imprint_law_empirical", "The imprint law ν = −1/(2π) was fit on a panel of 22 "
                "models; its 95% interval is ±0.18.")
    obs = p["gamma_random_obs"]
    if obs is None:
        return Verdict("PREDICTION ONLY", "info",
                f"Predicted γ_random = {pred:.4f}. Enter gamma_random_obs (measured on RANDOM-token "
                "sequences) to check purity.",
                "To measure: run a 150-prompt forward pass on random-token sequences across distances "
                "d = 10…1000 and fit a power law (E4 protocol).")
    purity = F.imprint_purity(obs, p["theta"], t_eval, n_m)
    residual = purity["imprint_residual"]
    chain.add("§28.2", "Imprint purity", "residual = γ_random_obs − γ_random_pred; clean if |residual| < 0.18",
              {"gamma_random_obs": obs, "gamma_random_pred": pred}, residual, purity["purity"],
              breakdown=purity)
    reason = f"Residual γ_random_obs − γ_pred = {residual:+.4f}; the 95% interval is ±{IMPRINT_CI_95}."
    if purity["purity"].startswith("clean"):
        return Verdict("CLEAN", "ok", reason, "None — the model follows the imprint law.")
    verdict = "OVER-IMPRINTED" if residual < 0 else "UNDER-IMPRINTED"
    return Verdict(verdict, "warning", reason,
            "Models far from the prediction may have anomalous training (heavy fine-tuning, format "
            "conversion). Compare to the native checkpoint.")


RECIPE = Recipe("X-21", "Imprint Purity Diagnostic",
                "How clean is the model's RoPE-Padé prediction? Predicts γ on RANDOM-token input via ν = −1/(2π).",
                "diagnostic", ["§26", "§28"], PARAMS, compute, checks=[t_eval_defaults_to_t_train],
                needs="rope", gated_steps=(("§26.1", "γ_Padé"), ("§28.1", "Imprint shift"), ("§28.1", "γ_random predicted"), ("§28.2", "Imprint purity")))
