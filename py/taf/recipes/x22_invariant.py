"""X-22 — compute-context invariant: does K = γ·ln(N²·D) sit in the panel band 51.2 ± 16.8?"""
from __future__ import annotations

from .. import formulas as F
from ..formulas import limits as L
from .base import CONTEXT_FIELDS, Verdict, T_EVAL, Param, Recipe, model_param, t_eval_defaults_to_t_train

PARAMS = [model_param("position_encoding"), model_param("theta"), model_param("T_train"), model_param("n_params"),
          *(model_param(n) for n in CONTEXT_FIELDS),
          Param("gamma_obs", "number", "γ you measured on text (required: K needs a measured γ)",
                min=-L.MAX_GAMMA, max=L.MAX_GAMMA, group="measurement"),
          Param("D_tokens", "number", "training tokens; empty = Chinchilla 20·N", unit="tokens",
                optional=True, min=0, max=L.MAX_TOKENS, min_exclusive=True),
          T_EVAL]


def compute(p, chain, caveats):
    n, gamma = p["n_params"], p["gamma_obs"]
    d = p["D_tokens"] if p["D_tokens"] is not None else 20.0 * n
    inv = F.compute_invariant_K(gamma, n / 1e6, d)
    chain.add("§29", "K = γ·ln(N²·D)", "K = γ × ln(N²·D)" + ("" if p["D_tokens"] else ", D = 20·N"),
              {"gamma": gamma, "N": n, "D": d}, inv["K"],
              f"K = {inv['K']:.2f} (panel mean {inv['panel_mean']:.1f} ± {inv['panel_std']:.1f})",
              figures={"compute_invariant_k": inv["K"]}, at={"gamma_used": gamma, "training_tokens": d})
    chain.add("§29", "z-score vs panel", "z = (K − 51.2) / 16.8",
              {"K": inv["K"], "mean": inv["panel_mean"], "std": inv["panel_std"]}, inv["z_score"],
              inv["interpretation"])
    g_pade = F.gamma_pade(p["theta"], p["T_eval"])
    diff = gamma - g_pade
    chain.add("§26.1", "γ deviation from Padé", "γ_obs − γ_Padé(θ, T_eval)",
              {"gamma_obs": gamma, "gamma_pade": g_pade, "T_eval": p["T_eval"]}, diff,
              "sub-Padé (γ_obs below the closed form)" if diff < 0 else
              "supra-Padé (γ_obs above the closed form)" if diff > 0 else "exactly at the closed form")
    caveats.add("k_panel_empirical", "The band 51.2 ± 16.8 is the spread of a 22-model panel "
                "(CV 0.33), not a law; an outlier is a prompt to look, not a defect.")
    if inv["in_distribution"]:
        return Verdict("IN-BAND", "ok",
                f"K = {inv['K']:.2f} is within ±1σ of the panel mean {inv['panel_mean']:.1f}.",
                "The model conforms to the compute-context invariant. No action needed.")
    return Verdict("OUTLIER", "warning",
            f"K = {inv['K']:.2f} ({inv['interpretation']}); |z| = {abs(inv['z_score']):.2f} > 1.",
            "High K: attention over-concentrates for the compute; low K: compute under-used for "
            "concentration. Check tokenizer, training recipe, fine-tuning history.")


RECIPE = Recipe("X-22", "Compute-Context Invariant",
                "Does γ × ln(N²·D) lie in the panel band 51.2 ± 16.8? Detects training/scaling anomalies.",
                "diagnostic", ["§26", "§29"], PARAMS, compute, checks=[t_eval_defaults_to_t_train],
                needs="rope", gated_steps=(("§29", "K = γ·ln(N²·D)"), ("§29", "z-score vs panel"), ("§26.1", "γ deviation from Padé")))
