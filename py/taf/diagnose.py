"""The Diagnostics view in one call: every γ tool of §26–§34 for one γ (and optional context)."""
from __future__ import annotations

from . import formulas as F
from . import validate
from .errors import InputError
from .formulas import limits as L
from .formulas.diagnostics import GAMMA_ZONES, NEGATIVE_ZONE, SAFETY_TEXT
from .glossary import term
from .params import Param

PARAMS = [  # the view's form is generated from these (one metadata format: taf/params.py)
    Param("gamma", "number", "the γ to diagnose (measured or predicted)", default=0.75,
          min=-L.MAX_GAMMA, max=L.MAX_GAMMA),
    Param("theta", "number", "RoPE base θ (for the PDI and the imprint check)", default=500000.0, optional=True,
          min=0, max=L.MAX_THETA, min_exclusive=True),
    Param("T_eval", "integer", "context length γ was measured at", unit="tokens", default=8192, optional=True,
          min=1, max=L.MAX_CONTEXT),
    Param("n_params", "number", "model size (for K, the imprint law and the IH phase)", unit="params",
          default=8e9, optional=True, min=1e3, max=L.MAX_PARAMS),
    Param("gamma_random_obs", "number", "γ measured on random tokens (imprint purity, IH phase)", optional=True,
          min=-L.MAX_GAMMA, max=L.MAX_GAMMA, group="measurement"),
]
BY_NAME = {p.name: p for p in PARAMS}
CONSTANTS_TOLERANCE = 0.02   # how close γ must be to a famous constant to be named
STRIP = {"from": -0.5, "to": 1.25}   # the γ range the zone strip draws
# The view's sections in order: key in the result's `sections`, title, and the glossary term it links to.
SECTIONS = (
    ("safety", "Safety zone (§32.1)", "hagedorn"),
    ("phase_class", "Phase class (§32.2)", "phases"),
    ("gamma_pade", "γ_Padé (§26.1)", "gamma-pade"),
    ("pdi", "Padé Deviation Index (§33.2)", "pdi"),
    ("critical_exponents", "Critical exponents (§33.4)", "critical-exponents"),
    ("identities", "The 12 identities (§34)", "identities"),
    ("famous_constants", "Famous constants (§31)", "famous-constants"),
    ("imprint_purity", "Imprint purity (§28)", "imprint"),
    ("invariant_K", "Compute-context invariant K (§29)", "invariant-k"),
    ("ih_phase", "Induction-head phase (§30)", "post-ih"),
)


def gamma_zones() -> list:
    """The one zone table as intervals, for the γ strip: [from, to) with level and label."""
    zones, upper = [], None
    for lower, zone, level, phase in GAMMA_ZONES:
        zones.append({"zone": zone, "from": lower, "to": upper, "level": level,
                      "label": SAFETY_TEXT[zone][0], "phase_class": phase})
        upper = lower
    zone, level, phase = NEGATIVE_ZONE
    zones.append({"zone": zone, "from": None, "to": 0.0, "level": level, "label": SAFETY_TEXT[zone][0],
                  "phase_class": phase})
    return list(reversed(zones))


def _optional(value, check):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return check(value)


def gamma_diagnostics(gamma=0.75, theta=500000, T_eval=8192, n_params=8e9, gamma_random_obs=None) -> dict:
    """Safety zone, phase class, PDI, critical exponents, the 12 identities, famous constants,
    imprint purity, invariant K and IH phase — each section says why it is not applicable."""
    g = BY_NAME["gamma"].check(gamma)
    theta = _optional(theta, BY_NAME["theta"].check)
    t_eval = _optional(T_eval, BY_NAME["T_eval"].check)
    n = _optional(n_params, BY_NAME["n_params"].check)
    g_rand = _optional(gamma_random_obs, BY_NAME["gamma_random_obs"].check)

    def needs(*names):
        missing = [name for name, value in zip(("theta", "T_eval", "n_params", "gamma_random_obs"),
                                               (theta, t_eval, n, g_rand)) if name in names and value is None]
        return {"applicable": False, "reason": "needs " + ", ".join(missing)} if missing else None

    sections = {
        "safety": F.hagedorn_safety_alert(g),
        "phase_class": F.bimodal_phase_class(g),
        "famous_constants": F.famous_constant_proximity(g, tolerance=CONSTANTS_TOLERANCE),
        "critical_exponents": F.critical_exponents_bundle(g),
        "identities": F.verify_algebraic_consistency(g),
        "pdi": needs("theta", "T_eval") or F.pade_deviation_index(theta, g, t_eval),
        "gamma_pade": needs("theta", "T_eval") or {"gamma_pade": F.gamma_pade(theta, t_eval)},
        "invariant_K": needs("n_params") or F.compute_invariant_K(g, n / 1e6),
        "imprint_purity": needs("theta", "T_eval", "n_params", "gamma_random_obs") or
        F.imprint_purity(g_rand, theta, t_eval, n / 1e6),
        "ih_phase": needs("gamma_random_obs") or F.ih_phase_check(g, g_rand, None if n is None else n / 1e6),
    }
    if g >= 1:
        sections["critical_exponents"] = {"applicable": False, "reason": "γ ≥ 1: the exponents diverge"}
    return {"inputs": {"gamma": g, "theta": theta, "T_eval": t_eval, "n_params": n,
                       "gamma_random_obs": g_rand},
            "level": sections["safety"]["level"], "zones": gamma_zones(), "sections": sections}


def gamma_strip() -> dict:
    """What the γ strip draws: its range and a tick at every zone boundary (from the zone table)."""
    ticks = sorted({bound for z in gamma_zones() for bound in (z["from"], z["to"]) if bound is not None})
    return {**STRIP, "ticks": ticks}


def diagnostics_sections() -> list:
    """The view's sections: key, title and the glossary term (id and anchor) each title links to."""
    out = []
    for key, title, term_id in SECTIONS:
        entry = term(term_id)
        out.append({"key": key, "title": title, "term": term_id, "anchor": entry["anchor"],
                    "term_name": entry["term"]})
    return out


def diagnostics_metadata() -> dict:
    return {"params": [p.metadata() for p in PARAMS], "zones": gamma_zones(), "strip": gamma_strip(),
            "sections": diagnostics_sections()}


__all__ = ["gamma_diagnostics", "gamma_zones", "diagnostics_metadata", "InputError"]
