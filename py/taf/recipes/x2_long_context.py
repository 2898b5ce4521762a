"""X-2 — long-context viability: will model M retrieve a needle at length L (NIAH)?"""
from __future__ import annotations

from .. import formulas as F
from ..formulas.diagnostics import GAMMA_ZONES
from .base import (CONTEXT_FIELDS, Verdict, GAMMA_OBS, KV_BYTES, T_EVAL, Param, Recipe, check_kv_heads, model_param,
                   t_eval_defaults_to_t_train)
from .charts import line_chart
from .common import fmt_tokens, gamma_steps, kv_step, phase_label

PARAMS = [model_param(n) for n in ("theta", "T_train", "n_attention_heads", "n_kv_heads",
                                   "d_head", "n_layers", "n_params", "has_SWA", "position_encoding",
                                   *CONTEXT_FIELDS)]
PARAMS += [T_EVAL, KV_BYTES, GAMMA_OBS,
           Param("target_gamma", "number", "γ an NTK/θ extension should land at (for the mitigation)",
                 default=0.85, min=0, max=1, min_exclusive=True, max_exclusive=True)]

AT_HORIZON_RTOL = 1e-9  # L within this relative distance of d_horizon counts as "at the horizon"

IDENTITY_TEXT = ("With γ from the closed form, d_horizon(θ, γ_Padé(θ, T_eval)) = T_eval exactly: "
                 "the horizon test is a tautology. The horizon here differs from T_eval only "
                 "through the empirical corrections (δ_GQA, δ_post_IH). Enter a measured gamma_obs "
                 "for a real test (it switches on the Padé Deviation Index).")


def _ntk_mitigation(p, t_eval):
    theta_needed = F.theta_design(p["target_gamma"], t_eval)
    alpha = F.alpha_opt(p["target_gamma"], t_eval, p["theta"])
    how = "fine-tuning required" if alpha > 8 else "zero-shot may work"
    return (f"Apply NTK-aware extension: θ for γ={p['target_gamma']:g} at {t_eval:,} tokens is "
            f"{theta_needed:,.0f}, α_opt = {alpha:.2f} ({how}).")


def compute(p, chain, caveats):
    verdict = _decide(p, chain, caveats)
    if p.get("_summary"):
        return verdict
    return verdict._replace(extras={**verdict.extras, "charts": [gamma_chart(p)]})


def gamma_chart(p) -> dict:
    """γ_Padé versus context for this θ, over the γ zones (the one zone table), with the context asked
    and the trained one marked."""
    t_eval, t_train = p["T_eval"], p.get("T_train") or p["T_eval"]
    top = max(2 * t_eval, 2 * t_train, 4096)
    contexts = sorted({2 ** k for k in range(10, 31) if 2 ** k <= top} | {t_eval})
    points = [{"x": t, "y": g} for t, g in zip(contexts, F.gamma_pade_curve(p["theta"], contexts))]
    bounds = [z[0] for z in GAMMA_ZONES]  # lower edges, highest first
    lowest = min(-0.2, min(pt["y"] for pt in points))
    zones, upper = [], max(1.1, max(pt["y"] for pt in points))
    for lower, zone, level, label in GAMMA_ZONES:
        zones.append({"from": lower, "to": upper, "label": label, "level": level, "zone": zone})
        upper = lower
    zones.append({"from": lowest, "to": bounds[-1], "label": "γ ≤ 0: catastrophic", "level": "catastrophic",
                  "zone": "negative"})
    return line_chart("gamma_vs_context", "γ_Padé versus context (θ = " + f"{p['theta']:,.0f})", "context (tokens)",
                      "tokens", "log2", "γ", "", [{"name": "gamma_pade", "label": "γ_Padé", "points": points}],
                      marks=[{"x": t_eval, "label": f"T_eval {t_eval:,}"}]
                      + ([{"x": t_train, "label": f"trained {t_train:,}"}] if t_train != t_eval else []), zones=zones)


def _decide(p, chain, caveats):
    t_eval = p["T_eval"]
    g_pade, decomp = gamma_steps(p, t_eval, chain, caveats)
    if p["gamma_obs"] is None:
        gamma = decomp["gamma_corrected"]
        caveats.add("closed_form_identity", IDENTITY_TEXT)
    else:
        gamma = p["gamma_obs"]
        pdi = F.pade_deviation_index(p["theta"], gamma, t_eval)
        chain.add("§33.2", "Padé Deviation Index",
                  "PDI = θ(1 − γ_obs)√2 / ((1 + γ_obs)·T_eval)",
                  {"theta": p["theta"], "gamma_obs": gamma, "T_eval": t_eval},
                  pdi["PDI"], f"{pdi['regime']} — {pdi['traffic_light']}", breakdown=pdi)
    which = "γ_obs (measured)" if p["gamma_obs"] is not None else "γ_corrected"
    at = {"context": t_eval, "gamma_obs": p["gamma_obs"]}
    dh = F.d_horizon(p["theta"], gamma)
    chain.add("§26.2", "d_horizon", f"d_h = θ(1 − γ)√2/(1 + γ) with γ = {which}",
              {"theta": p["theta"], "gamma": gamma}, dh,
              "n/a — γ outside (0, 1)" if dh is None else f"horizon at d = {dh:,.0f} tokens",
              unit="tokens", figures={"gamma_used": gamma, "d_horizon_tokens": dh}, at=at)
    l_niah = F.l_niah_c(dh)
    chain.add("§26.5", "L_NIAH^c", "L_NIAH^c = 2·d_horizon", {"d_horizon": dh}, l_niah,
              "n/a" if l_niah is None else f"NIAH at 50% near L = {l_niah:,.0f} tokens", unit="tokens",
              figures={"niah_ceiling_tokens": l_niah}, at=at)
    p_hallu = F.p_hallucinate(t_eval, p["theta"], gamma)
    chain.add("§26.9", "P_hallucinate", "max(0, 1 − (d_h/L)^(1−γ))·√χ/(1 + √χ), χ = 1/|γ − 1|",
              {"L": t_eval, "theta": p["theta"], "gamma": gamma}, p_hallu,
              "n/a (outside Phase A)" if p_hallu is None else f"{p_hallu * 100:.1f}% predicted")
    kv_step(p["arch"], t_eval, p["bytes_per_element"], chain, caveats)
    verdict = _horizon_verdict(p, t_eval, gamma, which, dh, l_niah)
    if p["gamma_obs"] is not None:
        return verdict
    chain.add("§26.2", "Framework prediction", "the verdict the closed-form γ gives (untested: see the caveat)",
              {"gamma_corrected": gamma, "d_horizon": dh, "T_eval": t_eval}, verdict.verdict,
              f"the framework predicts {verdict.verdict}: {verdict.reason}")
    return Verdict("UNVERIFIED", "info",
                   f"With γ from the closed form the horizon test cannot fail: d_horizon(θ, γ_Padé(θ, T)) = T, "
                   f"up to the empirical corrections. The framework predicts {verdict.verdict}: {verdict.reason}",
                   "Measure γ on this model at this context (attention decay with distance) and enter it as "
                   "gamma_obs: the Padé Deviation Index then tests the prediction and the verdict becomes a test.",
                   {"framework_prediction": {"verdict": verdict.verdict, "level": verdict.level}})


def _horizon_verdict(p, t_eval, gamma, which, dh, l_niah):
    """§26.2/§26.5 — inside d_horizon: YES; up to L_NIAH^c: DEGRADED; beyond, or no horizon: NO."""
    if dh is None:
        return Verdict("NO", "critical", f"{phase_label(gamma)}: {which} = {gamma:.3f} is outside (0, 1), "
                "so there is no retrieval horizon.", _ntk_mitigation(p, t_eval))
    if t_eval < dh * (1 - AT_HORIZON_RTOL):
        margin = (1 - t_eval / dh) * 100
        return Verdict("YES", "ok", f"L = {t_eval:,} is inside d_horizon = {fmt_tokens(dh)} ({margin:.0f}% margin).",
                "None required.")
    if t_eval < l_niah:
        at = abs(t_eval - dh) <= AT_HORIZON_RTOL * dh
        where = (f"L = {t_eval:,} sits exactly at d_horizon" if at else
                 f"L = {t_eval:,} is between d_horizon ({fmt_tokens(dh)}) and L_NIAH^c ({fmt_tokens(l_niah)})")
        return Verdict("DEGRADED", "warning", where + ".",
                "Consider context contraction (stay under d_horizon) or an NTK extension.")
    return Verdict("NO", "critical", f"L = {t_eval:,} exceeds the NIAH ceiling {fmt_tokens(l_niah)}.",
            _ntk_mitigation(p, t_eval))


GATED = (("§26.1", "γ_Padé"), ("§26.10", "γ-decomposition"), ("§26.2", "d_horizon"), ("§26.5", "L_NIAH^c"),
         ("§26.9", "P_hallucinate"))


RECIPE = Recipe("X-2", "Long Context Viability",
                "Will model M serve length L doing Needle-in-a-Haystack retrieval?",
                "long-context", ["§26", "§33", "§19"], PARAMS, compute, checks=[check_kv_heads, t_eval_defaults_to_t_train], needs="rope",
                gated_steps=GATED)
