"""§26 preconditions — how far a model's positions reach, and what θ a RoPE scaling method is
equivalent to. The Padé γ (§26.1) depends on the context only through T/θ, so a method that
rescales every rotation by one factor has an exact effective θ; a method that treats frequencies
differently (YaRN, llama3, LongRoPE) has none, and the γ formulas are not calibrated for it."""
from __future__ import annotations

from .. import validate
from . import _check as c

SCALING_TYPES = ("none", "linear", "dynamic", "yarn", "llama3", "longrope")
NO_SINGLE_THETA = ("yarn", "llama3", "longrope")  # frequency-dependent: no one equivalent θ


def _scaling(scaling_type, factor, original):
    kind = validate.choice("rope_scaling_type", scaling_type or "none", SCALING_TYPES, "RoPE scaling type")
    if kind == "none":
        return kind, None, None
    factor = c.positive(factor, "rope_scaling_factor", 1e6) if factor is not None else None
    original = c.count(original, "rope_original_context", c.L.MAX_CONTEXT) if original is not None else None
    return kind, factor, original


def supported_context(T_train=None, scaling_type=None, factor=None, original=None, max_position_embeddings=None):
    """The context a model supports: its trained context, or original × factor where a RoPE scaling
    extends it further (at most the position limit max_position_embeddings); None if nothing is known."""
    trained = None if T_train is None else c.count(T_train, "T_train", c.L.MAX_CONTEXT)
    kind, factor, original = _scaling(scaling_type, factor, original)
    extended = int(original * factor) if kind != "none" and factor and original else None
    if extended is not None and max_position_embeddings is not None:
        extended = min(extended, c.count(max_position_embeddings, "max_position_embeddings", c.L.MAX_CONTEXT))
    known = [x for x in (trained, extended) if x is not None]
    return max(known) if known else None


def effective_theta(theta, T_eval, d_head=None, scaling_type=None, factor=None, original=None):
    """θ a RoPE scaling is equivalent to at T_eval for the Padé γ, or None where none exists.
    none: θ. linear (position interpolation, Chen et al. 2023: positions m → m/s): θ·s, exact since
    γ_Padé depends on T/θ only. dynamic NTK (Hugging Face transformers, modeling_rope_utils
    `_compute_dynamic_ntk_parameters`): θ·((s·T/T₀) − (s − 1))^(d/(d−2)) beyond T₀, θ within.
    yarn, llama3, longrope: None (they scale frequencies unequally)."""
    theta = c.theta(theta)
    t = c.context(T_eval)
    kind, factor, original = _scaling(scaling_type, factor, original)
    if kind == "none":
        return theta
    if kind in NO_SINGLE_THETA or factor is None:
        return None
    if kind == "linear":
        return theta * factor
    if original is None or t <= original:
        return theta
    d = c.count(d_head, "d_head", c.L.MAX_HEAD_DIM, lo=3)
    return theta * ((factor * t / original) - (factor - 1)) ** (d / (d - 2))


__all__ = ["supported_context", "effective_theta"]
