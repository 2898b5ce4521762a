"""§17 — pre-training viability: Chinchilla budget, training FLOPs, training memory, emergence."""
from __future__ import annotations

from . import _check as c

CHINCHILLA_TOKENS_PER_PARAM = 20.0

EMERGENCE_TIERS = (  # (lower bound on N, wording after Wei et al. 2022)
    (1e11, "above 100B — strong reasoning capabilities expected"),
    (1e10, "above 10B — most emergent capabilities present"),
    (1e9, "above 1B — basic instruction-following, not strong reasoning"),
    (1e8, "above 100M — useful for narrow tasks, no emergence"),
)
BELOW_ALL_TIERS = "below 100M — domain-specific tasks only"


def _ratio(ratio):
    return c.positive(ratio, "ratio", 1e6)


def chinchilla_optimal_tokens(N_params: float, ratio: float = CHINCHILLA_TOKENS_PER_PARAM) -> float:
    """§17.30 — Chinchilla token budget: D = ratio · N (ratio 20)."""
    return _ratio(ratio) * c.params(N_params)


def chinchilla_optimal_N(D_tokens: float, ratio: float = CHINCHILLA_TOKENS_PER_PARAM) -> float:
    """§17.30 inverse — N = D / ratio."""
    return c.tokens(D_tokens) / _ratio(ratio)


def training_flops(N_params: float, D_tokens: float) -> float:
    """§17.10 — training FLOPs C = 6·N·D (forward + backward, attention term not counted)."""
    return 6.0 * c.params(N_params) * c.tokens(D_tokens)


def chinchilla_n_for_flops(flops: float, ratio: float = CHINCHILLA_TOKENS_PER_PARAM) -> float:
    """§17.30 — compute-optimal N for a FLOP budget: 6·N·(ratio·N) = C ⇒ N = √(C / (6·ratio))."""
    flops = c.nonneg(flops, "flops", c.L.MAX_FLOPS)
    return (flops / (6.0 * _ratio(ratio))) ** 0.5


def training_memory_16N(N_params: float) -> dict:
    """§17.20 — training memory = 16·N bytes (bf16 weights + grads, fp32 Adam moments and master)."""
    bytes_total = 16.0 * c.params(N_params)
    return {"bytes": bytes_total, "GB": bytes_total / 1e9}


def emergent_threshold(N_params: float) -> str:
    """§17.60 — capability tier by parameter count (thresholds 1e8, 1e9, 1e10, 1e11; Wei 2022)."""
    n = c.params(N_params)
    for lower_bound, wording in EMERGENCE_TIERS:
        if n >= lower_bound:
            return wording
    return BELOW_ALL_TIERS
