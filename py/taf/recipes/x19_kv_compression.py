"""X-19 — KV compression: soft γ-decay, a hard D_f window, or literature methods?"""
from __future__ import annotations

from .. import formulas as F
from ..formulas.gamma import DF_GAMMA_RANGE, SOFT_DECAY_APPLIES, SOFT_DECAY_BORDERLINE
from .base import (CONTEXT_FIELDS, Verdict, GAMMA_OBS, KV_BYTES, T_EVAL, Param, Recipe, check_kv_heads, model_param,
                   t_eval_defaults_to_t_train)
from .common import fmt_tokens, gamma_steps, kv_step

PARAMS = [model_param(n) for n in ("theta", "T_train", "n_attention_heads", "n_kv_heads",
                                   "d_head", "n_layers", "n_params", "has_SWA", "position_encoding",
                                   *CONTEXT_FIELDS)]
PARAMS += [T_EVAL, KV_BYTES, GAMMA_OBS,
           Param("f", "number", "share of the attention mass the D_f window must keep", default=0.9,
                 min=0, max=1, min_exclusive=True)]

REGIME_RULE = (f"soft decay applies if r = d_horizon ÷ (T_train/2) ≥ {SOFT_DECAY_APPLIES}, "
               f"borderline if r ≥ {SOFT_DECAY_BORDERLINE}, else use a hard cutoff")


def regime_step(theta, gamma, t_train, chain):
    """§26.8 — the one soft-decay rule, as a chain step (also used by the profile)."""
    ratio = F.soft_decay_ratio(theta, gamma, t_train)
    regime = F.regime_from_ratio(ratio)
    dh = F.d_horizon(theta, gamma)
    ratio_text = "n/a" if ratio is None else f"{ratio:.2f}"
    chain.add("§26.8", "Soft-decay regime", REGIME_RULE,
              {"theta": theta, "gamma": gamma, "T_train": t_train, "d_horizon": dh}, regime,
              f"d_horizon = {fmt_tokens(dh)}; r = {ratio_text}; regime: {regime}",
              figures={"soft_decay_ratio": ratio}, at={"gamma_used": gamma, "T_train": t_train}, ratio=ratio)
    return regime, ratio


def compute(p, chain, caveats):
    t_eval = p["T_eval"]
    _, decomp = gamma_steps(p, t_eval, chain, caveats)
    gamma = decomp["gamma_corrected"] if p["gamma_obs"] is None else p["gamma_obs"]
    lo, hi = DF_GAMMA_RANGE
    df = F.df_window(gamma, t_eval, f=p["f"])
    chain.add("§26.7", "D_f window",
              f"calibrated for γ in [{lo}, {hi}]: smallest D with Σ_(d≤D) d^−γ ≥ {p['f']:g}·Σ_(d≤{t_eval}) d^−γ (exact discrete sum)",
              {"gamma": gamma, "N": t_eval, "f": p["f"]}, df,
              f"D_f = {df:,} tokens keep {p['f'] * 100:g}% of the attention mass" if df is not None
              else f"not applicable: γ = {gamma:.3f} is outside the calibrated [{lo}, {hi}]",
              unit="tokens")
    regime, ratio = regime_step(p["theta"], gamma, p["T_train"], chain)
    kv_step(p["arch"], t_eval, p["bytes_per_element"], chain, caveats, name="Baseline KV memory (per request)")
    r_text = "n/a" if ratio is None else f"{ratio:.2f}"
    if regime == "applies" and df is not None:
        return Verdict("USE SOFT DECAY", "ok",
                f"r = d_horizon ÷ (T_train/2) = {r_text} ≥ {SOFT_DECAY_APPLIES} and γ = {gamma:.3f} "
                f"is in the compression zone. Soft decay (1 − d/d_h)^γ is best (−21% PPL vs a hard cutoff per F17).",
                "Implement as a 4D attention_mask additive bias with eager attention.")
    if df is not None:
        return Verdict("USE D_f HARD CUTOFF", "ok",
                f"γ = {gamma:.3f} is in [{lo}, {hi}] but r = {r_text} is below {SOFT_DECAY_APPLIES} "
                f"(regime: {regime}). A hard window at D_f = {df:,} keeps {p['f'] * 100:g}% of the mass.",
                f"Set cache_max_len = {df:,}.")
    if gamma <= 0 or gamma >= 1:
        return Verdict("USE LITERATURE METHODS", "warning",
                f"γ = {gamma:.3f} is outside Phase A (0, 1): the TAF compression formulas do not apply.",
                "Use SnapKV / PyramidKV / FastGen (literature heuristics).")
    if regime == "applies":
        return Verdict("USE SOFT DECAY (caveat)", "warning",
                f"r = {r_text} ≥ {SOFT_DECAY_APPLIES} but γ = {gamma:.3f} is outside the D_f zone "
                f"[{lo}, {hi}]: soft decay only.", "Soft decay; do not use a D_f window.")
    return Verdict("USE HARD T_train CUTOFF", "warning",
            f"r = {r_text} < {SOFT_DECAY_APPLIES} (regime: {regime}) and γ = {gamma:.3f} is outside "
            f"[{lo}, {hi}]: neither γ method is supported.",
            f"Set seq_len ≤ {p['T_train']:,}; no extension.")


GATED = (("§26.1", "γ_Padé"), ("§26.10", "γ-decomposition"), ("§26.7", "D_f window"), ("§26.8", "Soft-decay regime"))


RECIPE = Recipe("X-19", "KV Compression Decision",
                "Should I use soft decay, a D_f cutoff, or literature methods to compress the KV cache?",
                "kv-compression", ["§26", "§19"], PARAMS, compute,
                checks=[check_kv_heads, t_eval_defaults_to_t_train], needs="rope",
                gated_steps=GATED)
