"""§31–§34 — diagnostics of a γ value: famous constants, Hagedorn safety zones and phase class
(one zone table), architectural concentration, Padé Deviation Index, 4-bit shift direction,
critical exponents, the 12 algebraic identities."""
from __future__ import annotations

import math

from . import _check as c
from .imprint import NU_IMPRINT

PHI = (1 + math.sqrt(5)) / 2
FAMOUS_CONSTANTS = {
    "1−1/φ (golden conjugate)": 1 - 1 / PHI,
    "1/√2": 1 / math.sqrt(2),
    "1−1/√2": 1 - 1 / math.sqrt(2),
    "log_10(e)": math.log10(math.e),
    "1/π": 1 / math.pi,
    "2/π": 2 / math.pi,
    "1/φ": 1 / PHI,
    "ln(2)": math.log(2),
    "z*_Cayley = (√17−3)/2": (math.sqrt(17) - 3) / 2,
}

# §32 — ONE zone table. Both the safety alert and the bimodal phase class read it, so they can
# never disagree. Each row: (lower bound, inclusive?, zone id, safety level, phase class).
GAMMA_ZONES = (
    (1.0, "hagedorn", "critical", "Hagedorn zone"),
    (0.95, "boundary", "warning", "Hagedorn boundary"),
    (0.85, "gap", "ok", "boundary (gap zone)"),
    (0.65, "normal", "ok", "Phase A (long-range)"),
    (0.0, "wide_field", "info", "Phase A (long-range)"),  # strictly above 0
)
NEGATIVE_ZONE = ("negative", "catastrophic", "catastrophic")

SAFETY_TEXT = {
    "hagedorn": ("🔴 HAGEDORN ZONE", "red",
                 "γ ≥ 1.0: attention concentrates locally. Long-context retrieval will FAIL "
                 "without NTK extension (α_opt > 1).", "36% of n=25 LLMs are in this zone"),
    "boundary": ("🟠 HAGEDORN BOUNDARY", "orange",
                 "γ ≥ 0.95: at the edge. Long context above T_train risky. Run X-2 long-context "
                 "viability before deploying.", "~24% of n=25 LLMs cluster here"),
    "gap": ("🟢 PHASE A NORMAL (gap zone)", "green",
            "γ ∈ [0.85, 0.95): long-context OK, but in the sparsely populated gap between the two "
            "density peaks of the panel; no D_f window here (calibrated only in [0.65, 0.85]).",
            "~40% of n=25 LLMs are in [0.65, 0.95)"),
    "normal": ("🟢 PHASE A NORMAL", "green",
               "γ ∈ [0.65, 0.85): long-context OK. KV compression via D_f window applicable.",
               "~40% of n=25 LLMs are in [0.65, 0.95)"),
    "wide_field": ("🔵 PHASE A WIDE-FIELD", "blue",
                   "0 < γ < 0.65: very long-range attention. Model may be over-trained on long "
                   "context, or pre-IH (small model).",
                   "~12% of n=25 LLMs (mostly small or anomalous)"),
    "negative": ("❌ NON-POSITIVE γ", "darkred",
                 "γ ≤ 0 means T_eval ≥ θ√2: no decay, a bad operating point. Use a lower T or a "
                 "higher θ.", "0% of n=25 (pathological)"),
}


def gamma_zone(gamma) -> dict:
    """§32 — the zone of γ in the one table: zone id, safety level and bimodal phase class."""
    g = c.gamma(gamma)
    for lower, zone, level, phase in GAMMA_ZONES:
        if g >= lower and (lower != 0.0 or g > 0.0):
            return {"zone": zone, "level": level, "phase_class": phase}
    zone, level, phase = NEGATIVE_ZONE
    return {"zone": zone, "level": level, "phase_class": phase}


def hagedorn_safety_alert(gamma) -> dict:
    """§32.1 — safety zone: ≥1 critical, ≥0.95 warning, ≥0.65 ok, >0 info (wide-field), else catastrophic."""
    if gamma is None:
        return {"level": "unknown", "color": "gray", "zone": "unknown", "message": "no γ available"}
    gamma = c.gamma(gamma)
    z = gamma_zone(gamma)
    label, color, message, panel = SAFETY_TEXT[z["zone"]]
    return {"level": z["level"], "color": color, "zone": z["zone"], "label": label,
            "name": label.split(" ", 1)[1],
            "message": message, "fraction_of_panel": panel, "phase_class": z["phase_class"],
            "gamma": float(gamma)}


def bimodal_phase_class(gamma) -> str:
    """§32.2 — phase class by the panel's two density peaks: gap 0.85–0.95, boundary 0.95–1, zone ≥ 1."""
    if gamma is None:
        return "unknown"
    return gamma_zone(gamma)["phase_class"]


def famous_constant_proximity(gamma, tolerance=0.01) -> dict:
    """§31 — famous constants within |γ − value| ≤ tolerance, nearest first (at most 3)."""
    g = c.gamma(gamma)
    tol = c.nonneg(tolerance, "tolerance", 10.0)
    hits = sorted(({"constant": name, "value": value, "error": abs(g - value)}
                   for name, value in FAMOUS_CONSTANTS.items() if abs(g - value) <= tol),
                  key=lambda h: h["error"])
    return {"gamma": g, "tolerance": tol, "n_hits": len(hits), "hits": hits[:3],
            "caveat": "n=4 hits in panel; could be coincidence (continuous distribution)"}


def nearest_famous_constant(gamma, max_results=3, tolerance=0.05) -> list:
    """§32.3 — the named constants nearest γ within tolerance, as a list (possibly empty)."""
    if gamma is None:
        return []
    k = c.count(max_results, "max_results", 100, lo=0)
    return famous_constant_proximity(gamma, tolerance)["hits"][:k]


K_ARCH = 0.012  # §33.1 panel-fit coefficient (n = 22)


def architectural_concentration_predict(gamma_pade_val, n_kv) -> dict:
    """§33.1 — γ_text ≈ γ_Padé − 0.012·n_kv (correlational, cross-panel only)."""
    g = c.gamma(gamma_pade_val, "gamma_pade_val")
    n_kv = c.count(n_kv, "n_kv", c.L.MAX_HEADS)
    return {"gamma_pade": g, "n_kv": n_kv, "k_arch": K_ARCH,
            "gamma_text_predicted": g - K_ARCH * n_kv,
            "caveat": "Correlational, not per-model predictor (R²=0.30, mean err 0.27)",
            "interpretation": ("GQA aggressive (low n_kv) → γ pushed up toward Hagedorn. "
                               "MHA full (n_kv=32) → γ drops below Padé (sink-prone).")}


PDI_BANDS = {  # band → (level, traffic text)
    "green": ("ok", "🟢 GREEN — model matches Padé prediction"),
    "yellow": ("warning", "🟡 YELLOW — moderate deviation"),
    "orange": ("warning", "🟠 ORANGE — large positive deviation"),
    "red": ("critical", "🔴 RED — outside Phase A"),
}


def pade_deviation_index(theta, gamma_obs, T_eval) -> dict:
    """§33.2 — PDI = θ(1 − γ_obs)√2 / ((1 + γ_obs)·T_eval); PDI = 1 ⇔ γ_obs = γ_Padé(θ, T)."""
    theta, g, t = c.theta(theta), c.gamma(gamma_obs, "gamma_obs"), c.context(T_eval)
    if g <= -1.0:
        regime = ("singular (γ_obs = −1: the formula divides by zero)" if g == -1.0 else
                  "outside the formula's domain (γ_obs < −1): check the measurement")
        return {"PDI": None, "log_PDI": None, "regime": regime, "band": "red",
                "level": "critical", "traffic_light": "🔴 RED — γ_obs ≤ −1, no PDI",
                "band_text": "RED — γ_obs ≤ −1, no PDI",
                "identity": "log(PDI) + ΔH_Cardy = 0 (use either, log-inverse)"}
    pdi = theta * (1 - g) * math.sqrt(2) / ((1 + g) * t)
    if g >= 1.0:
        regime, band = ("Hagedorn point (γ_obs = 1): the horizon collapses to zero" if g == 1.0
                        else "Phase B (γ_obs > 1, formula sign-flip)"), "red"
    elif g <= 0.0:
        regime, band = "γ_obs ≤ 0: no power-law decay (outside Phase A)", "red"
    elif 0.5 <= pdi <= 1.5:
        regime, band = "canonical (γ_obs ≈ γ_Padé)", "green"
    elif pdi > 1.5:
        regime, band = "γ_obs << γ_Padé (sink-dominated or extreme alignment)", "orange"
    else:
        regime, band = "γ_obs > γ_Padé (over-concentrated in Phase A)", "yellow"
    level, traffic = PDI_BANDS[band]
    return {"PDI": pdi, "log_PDI": math.log(pdi) if pdi > 0 else None, "regime": regime,
            "band": band, "level": level, "traffic_light": traffic, "band_text": traffic.split(" ", 1)[1],
            "identity": "log(PDI) + ΔH_Cardy = 0 (use either, log-inverse)"}


def precision_shift_predict_4bit(gamma_bf16, R2_bf16, is_GQA) -> dict:
    """§33.3 — 4-bit γ shift: GQA stable; MHA with R² < 0.9 UP, R² > 0.99 DOWN, else stable."""
    c.gamma(gamma_bf16, "gamma_bf16")
    r2 = c.validate.number("R2_bf16", R2_bf16, lo=-1e6, hi=1.0)
    if c.flag(is_GQA, "is_GQA"):
        return {"predicted_shift_direction": "stable", "expected_magnitude": "|Δγ| < 0.05",
                "reason": "GQA KV-sharing distributes attention; little long-tail to perturb",
                "recommendation": "Either bf16 or 4-bit OK for deployment",
                "caveat": "R²-direction rule is empirical, not formally derived"}
    if r2 < 0.9:
        direction, magnitude = "UP", "+0.3 to +0.8 expected"
        reason = "Sink-dominated bf16: 4-bit truncates long-tail, reveals Padé prediction"
    elif r2 > 0.99:
        direction, magnitude = "DOWN", "−0.2 to −0.4 expected"
        reason = "Clean bf16: 4-bit further sparsifies, introduces non-monotonicity"
    else:
        direction, magnitude, reason = "stable", "|Δγ| < 0.05", "Borderline R², 4-bit minimal effect"
    return {"predicted_shift_direction": direction, "expected_magnitude": magnitude,
            "reason": reason,
            "evidence": "n=5 paired measurements (DeepSeek/Pythia-1B/Pythia-2.8B/Llama-3/Qwen-7B-Inst)",
            "caveat": "R²-direction rule is empirical, not formally derived"}


GAMMA_SUSC_MIN = 2 * math.sqrt(2)
GAMMA_AT_SUSC_MIN = 1 - 1 / math.sqrt(2)


def critical_exponents_bundle(gamma) -> dict:
    """§33.4 — ν_c = 1/(1−γ), β_c = η_c = γ−1, α_C = 2 − 1/(1−γ), γ_susc = 1/(1−γ) + 2(1−γ) ≥ 2√2."""
    g = c.gamma(gamma)
    if g >= 1:
        return {"regime": "Hagedorn or beyond", "exponents": "diverge"}
    nu_c = 1 / (1 - g)
    beta_c = g - 1
    alpha_c = 2 - nu_c
    gamma_susc = nu_c + 2 * (1 - g)
    return {
        "nu_correlation_length": nu_c, "beta_order_param": beta_c, "eta_anomalous_dim": g - 1,
        "eta_note": "η_c = γ−1 (Lévy-derived, hyperscaling-consistent). Paper 1 claim η=2γ is INCORRECT.",
        "eta_explanation": (f"Paper 1 wrote the anomalous dimension as η = 2γ (here {2 * g:.4g}); the exponents "
                            f"follow from the power-law decay d^−γ, which gives η = γ − 1 (here {g - 1:.4g}), and "
                            "η = 2γ fails identity D-SAGE-1 for every γ in (0, 1) (see the 12 identities), so "
                            "the app prints η = γ − 1 — a correction to one printed exponent that changes no "
                            "verdict."),
        "alpha_specific_heat": alpha_c, "gamma_susceptibility": gamma_susc,
        "c_central_at_gamma_0": 3,
        "AM_GM_bound": {"min_gamma_susc": GAMMA_SUSC_MIN, "min_at_gamma": GAMMA_AT_SUSC_MIN,
                        "interpretation": (f"γ_susc has UNIVERSAL minimum {GAMMA_SUSC_MIN:.3f} at "
                                           f"γ = {GAMMA_AT_SUSC_MIN:.4f} (AM-GM with ab=2 product constant)")},
        "hyperscaling_check": {"Rushbrooke (α + 2β + γ_susc = 2)": alpha_c + 2 * beta_c + gamma_susc,
                               "expected": 2},
        "warning_paper1_eta": "Paper 1's η_c = 2γ is INCORRECT. Use η_c = γ-1 (this function).",
    }


def _close(value, expected, tol):
    """Equal within tol, relative to the size of the numbers (near γ = 1 the terms reach 1e9)."""
    return abs(value - expected) < tol * max(1.0, abs(value), abs(expected))


def _identity(claim, value, expected, tol):
    return {"claim": claim, "value": value, "expected": expected,
            "passes": _close(value, expected, tol)}


# §34 in words: for each check, what was claimed and what a pass means (one sentence is built from
# these, the value found and the outcome). Every check is an identity in γ (or a constant), so it
# holds for any γ in (0, 1): a pass confirms the formulas agree, not that a model or a measurement does.
CLAIMS = {
    "D-SAGE-1": ("The anomalous dimension η = γ − 1 and the susceptibility exponent γ_χ = 1/(1 − γ) + "
                 "2(1 − γ) were claimed to satisfy 2η² + η·γ_χ + 1 = 0",
                 "η = γ − 1 is consistent with the other exponents (η = 2γ is not: see eta_2gamma_REFUTED)"),
    "D-SAGE-2": ("The order-parameter exponent β = γ − 1 times the susceptibility χ = 1/(1 − γ) was claimed "
                 "to be −1",
                 "β and χ carry the same information: χ diverges exactly as β goes to 0 at the Hagedorn "
                 "point γ = 1"),
    "D-SAGE-4": ("The specific-heat exponent α = 2 − 1/(1 − γ) plus the susceptibility χ was claimed to be 2",
                 "α adds nothing beyond χ"),
    "D-SAGE-5": ("α plus the susceptibility exponent γ_χ was claimed to equal 2(2 − γ)",
                 "these two exponents together depend on γ linearly"),
    "D-SAGE-6": ("β times γ_χ was claimed to equal −2γ² + 4γ − 3",
                 "the product of the order-parameter and susceptibility exponents is a fixed quadratic in γ"),
    "Rushbrooke_tautology": ("The Rushbrooke scaling law of statistical physics, in one dimension, was claimed "
                             "in the form 2β + γ_χ − ν = 0",
                             "the exponents are hyperscaling-consistent by construction (a tautology): a check "
                             "of the arithmetic, not of any model"),
    "Josephson_tautology": ("The Josephson hyperscaling law in one dimension, 2 − α − ν = 0, was claimed",
                            "it holds by the definition α = 2 − ν (a tautology): a check of the arithmetic, "
                            "not of any model"),
    "D-14_nu_imprint": ("The learned-imprint slope of §28, ν_imprint = −1/(2π), times 2π was claimed to be −1",
                        "the slope is coded as the paper states it (the check does not depend on γ; the slope "
                        "itself was fitted on a panel of 22 models)"),
    "D-SAGE-7": ("The central charge c = 3 (the value of γ_χ at γ = 0 and at γ = 1/2) times |ν_imprint|·2π "
                 "was claimed to be 3",
                 "the imprint slope and the central charge fit together as the paper states (the check "
                 "does not depend on γ)"),
    "nu_beta_id": ("The correlation-length exponent ν = 1/(1 − γ) times β = γ − 1 was claimed to be −1",
                   "ν and β are reciprocal up to sign (the same content as D-SAGE-2, since ν = χ here)"),
}
OUTCOMES = {"eta_2gamma_REFUTED": ("η = 2γ refuted", "refutation not reproduced"),
            "Fisher_independent": ("fails Fisher's law as predicted", "differs from the predicted residual")}
IDENTITIES_EXPLANATION = (
    "All {n} checks are algebraic identities of the exponent formulas (§33.4), true for every γ in "
    "(0, 1) whatever model it came from, so {passed}/{n} passing confirms that the formulas and their "
    "arithmetic agree — not that γ was measured well or that the framework predicts real models.")


def _num(x) -> str:
    return f"{x:.6g}".replace("-", "−")  # the minus sign of the claims' text


def _explain(name, check, g, tol) -> str:
    """One sentence: what was claimed, what the check found, what it means."""
    value, passes = check["value"], check["passes"]
    if name == "eta_2gamma_REFUTED":
        if passes:
            return (f"Paper 1 claimed the anomalous dimension is η = 2γ; putting η = 2γ into identity "
                    f"D-SAGE-1 leaves {_num(value)} instead of 0 at γ = {_num(g)} (it is positive for every γ "
                    "in (0, 1)), so the claim is refuted and the app uses η = γ − 1, which changes no verdict.")
        return (f"Paper 1 claimed η = 2γ; the refuting residual came out {_num(value)}, not positive, which for "
                "γ in (0, 1) can only be floating-point rounding, so recheck the γ entered.")
    if name == "Fisher_independent":
        expected = check["expected_formula"]
        if passes:
            return ("Fisher's scaling law γ_χ = (2 − η)·ν, true of many physical systems, was claimed not to "
                    f"hold here; the check found the residual γ_χ − (2 − η)·ν = {_num(value)}, equal to the "
                    f"predicted γ(2γ − 3)/(1 − γ) = {_num(expected)}, so the exponents break Fisher's law "
                    "exactly as the framework says — an independent relation, not an error.")
        return (f"Fisher's law was claimed to fail by γ(2γ − 3)/(1 − γ) = {_num(expected)}; the check found "
                f"{_num(value)} (tolerance {tol:g}), which for an identity in γ can only be floating-point "
                "rounding at this γ, not a property of the model.")
    claim, meaning = CLAIMS[name]
    if passes:
        return f"{claim}; the check found {_num(value)} (expected {_num(check['expected'])}), so {meaning}."
    return (f"{claim}; the check found {_num(value)} instead of {_num(check['expected'])} (tolerance {tol:g}): "
            "this is an identity true for every γ in (0, 1), so the difference is floating-point rounding "
            "at this γ, not a property of the model.")


def _outcome(name, passes) -> str:
    yes, no = OUTCOMES.get(name, ("holds", "does not hold"))
    return yes if passes else no


def verify_algebraic_consistency(gamma, tol=1e-9) -> dict:
    """§34 — the 12 D-SAGE identities of the critical exponents, checked for γ ∈ (0, 1)."""
    g = c.gamma(gamma)
    tol = c.validate.number("tol", tol, lo=0, hi=1.0, lo_open=True)  # only compared: any positive tolerance
    if g >= 1 or g <= 0:
        return {"status": "out_of_phase_A", "phase_A_range": "(0, 1)", "input_gamma": g,
                "message": "Verification requires γ ∈ (0, 1) Phase A regime."}
    nu = chi = 1 / (1 - g)
    beta = eta = g - 1
    alpha = 2 - 1 / (1 - g)
    g_chi = 1 / (1 - g) + 2 * (1 - g)
    fisher_expected = g * (2 * g - 3) / (1 - g)
    eta_2g = 2 * (2 * g) ** 2 + 2 * g * g_chi + 1
    checks = {
        "D-SAGE-1": _identity("2η² + η·γ_χ + 1 = 0", 2 * eta ** 2 + eta * g_chi + 1, 0.0, tol),
        "D-SAGE-2": _identity("β·χ = -1", beta * chi, -1.0, tol),
        "D-SAGE-4": _identity("α + χ = 2", alpha + chi, 2.0, tol),
        "D-SAGE-5": _identity("α + γ_χ = 2(2-γ)", alpha + g_chi, 2 * (2 - g), tol),
        "D-SAGE-6": _identity("β·γ_χ = -2γ²+4γ-3", beta * g_chi, -2 * g ** 2 + 4 * g - 3, tol),
        "Rushbrooke_tautology": _identity("2β + γ_χ - ν·d = 0 (d=1)", 2 * beta + g_chi - nu, 0.0, tol),
        "Josephson_tautology": _identity("2 - α - ν·d = 0 (d=1)", 2 - alpha - nu, 0.0, tol),
        "Fisher_independent": {"claim": "Fisher residual = γ(2γ-3)/(1-γ) [NOT 0 generally]",
                               "value": g_chi - (2 - eta) * nu, "expected_formula": fisher_expected,
                               "passes": _close(g_chi - (2 - eta) * nu, fisher_expected, tol)},
        "eta_2gamma_REFUTED": {"claim": "Paper 1's η=2γ residual > 0 in Phase A", "value": eta_2g,
                               "expected": "positive (refutes η=2γ)", "passes": eta_2g > 0},
        "D-14_nu_imprint": _identity("ν_imprint · 2π = -1", NU_IMPRINT * 2 * math.pi, -1.0, tol),
        "D-SAGE-7": _identity("c · |ν_imprint| · 2π = 3", 3 * abs(NU_IMPRINT) * 2 * math.pi, 3.0, tol),
        "nu_beta_id": _identity("ν · β = -1", nu * beta, -1.0, tol),
    }
    for name, check in checks.items():
        check["outcome"] = _outcome(name, check["passes"])
        check["explanation"] = _explain(name, check, g, tol)
    n_passed = sum(1 for check in checks.values() if check["passes"])
    n_total = len(checks)
    consistent = n_passed == n_total
    return {
        "input_gamma": g, "phase": "A (γ ∈ (0,1))", "n_checks_total": n_total,
        "n_checks_passed": n_passed, "all_consistent": consistent,
        "framework_verified_by": "Sage Groebner basis (PolynomialRing(ℚ)) + Lean Mathlib4 (dependent type theory)",
        "checks": checks,
        "interpretation": (f"All {n_total}/{n_total} D-SAGE identities consistent ✓ (framework algebraic structure intact)"
                           if consistent else
                           f"INCONSISTENCY: {n_passed}/{n_total} pass. Possible bf16 outlier, "
                           "quantization artifact, or measurement noise."),
        "explanation": IDENTITIES_EXPLANATION.format(n=n_total, passed=n_passed),
        "references": [
            "Sage script: sage_recursive_sweep_2026-04-30.sage",
            "Lean script: lean_taf/taf/Taf/Identities.lean",
            "Paper 2 appendix A.4: appendix_formal_verification_2026-05-01.md",
        ],
    }
