"""The Diagnostics view in one call: every γ tool of §26–§34 for one γ (and optional context)."""
from __future__ import annotations

from . import formulas as F
from . import validate
from .errors import InputError
from .formulas import limits as L
from .formulas.diagnostics import GAMMA_ZONES, NEGATIVE_ZONE, SAFETY_TEXT

PARAMS = [  # name, type, unit, default, help (the view's form is generated from these)
    {"name": "gamma", "type": "number", "unit": "", "default": 0.75, "required": True,
     "help": "the γ to diagnose (measured or predicted)", "min": -L.MAX_GAMMA, "max": L.MAX_GAMMA},
    {"name": "theta", "type": "number", "unit": "", "default": 500000, "required": False,
     "help": "RoPE base θ (for the PDI and the imprint check)", "min": 0, "max": L.MAX_THETA},
    {"name": "T_eval", "type": "integer", "unit": "tokens", "default": 8192, "required": False,
     "help": "context length γ was measured at", "min": 1, "max": L.MAX_CONTEXT},
    {"name": "n_params", "type": "number", "unit": "params", "default": 8e9, "required": False,
     "help": "model size (for K, the imprint law and the IH phase)", "min": 0, "max": L.MAX_PARAMS},
    {"name": "gamma_random_obs", "type": "number", "unit": "", "default": None, "required": False,
     "help": "γ measured on random tokens (imprint purity, IH phase)", "min": -L.MAX_GAMMA, "max": L.MAX_GAMMA},
]


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


def _optional(name, value, check):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return check(value)


def gamma_diagnostics(gamma=0.75, theta=500000, T_eval=8192, n_params=8e9, gamma_random_obs=None) -> dict:
    """Safety zone, phase class, PDI, critical exponents, the 12 identities, famous constants,
    imprint purity, invariant K and IH phase — each section says why it is not applicable."""
    g = validate.number("gamma", gamma, lo=-L.MAX_GAMMA, hi=L.MAX_GAMMA)
    theta = _optional("theta", theta, lambda v: validate.number("theta", v, lo=0, hi=L.MAX_THETA, lo_open=True))
    t_eval = _optional("T_eval", T_eval, lambda v: validate.integer("T_eval", v, lo=1, hi=L.MAX_CONTEXT))
    n = _optional("n_params", n_params, lambda v: validate.number("n_params", v, lo=1e3, hi=L.MAX_PARAMS))
    g_rand = _optional("gamma_random_obs", gamma_random_obs,
                       lambda v: validate.number("gamma_random_obs", v, lo=-L.MAX_GAMMA, hi=L.MAX_GAMMA))

    def needs(*names):
        missing = [name for name, value in zip(("theta", "T_eval", "n_params", "gamma_random_obs"),
                                               (theta, t_eval, n, g_rand)) if name in names and value is None]
        return {"applicable": False, "reason": "needs " + ", ".join(missing)} if missing else None

    sections = {
        "safety": F.hagedorn_safety_alert(g),
        "phase_class": F.bimodal_phase_class(g),
        "famous_constants": F.famous_constant_proximity(g, tolerance=0.02),
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


def diagnostics_metadata() -> dict:
    return {"params": PARAMS, "zones": gamma_zones()}


__all__ = ["gamma_diagnostics", "gamma_zones", "diagnostics_metadata", "InputError"]
