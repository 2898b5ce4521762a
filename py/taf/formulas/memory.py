"""§19 (architecture-aware) — KV cache for MHA/GQA/MQA, sliding-window, interleaved local/global,
MLA and recurrent layers; weights by dtype or GGUF quantisation; decode speed that reads the KV
cache; training FLOPs with the attention term.

An architecture is a dict (a preset record, or what `taf.config_import` derives from a
config.json) with these fields:
    attention: "full" | "sliding" | "alternating" | "mla" | "recurrent" | "hybrid"
    n_layers, n_kv_heads, d_head                    — attention layers (full / sliding / alternating / hybrid)
    sliding_window                                   — tokens kept by a windowed layer
    global_every                                     — alternating: every k-th layer is global (Gemma-2: 2)
    kv_lora_rank, qk_rope_head_dim                   — MLA: cached latent + RoPE key per token and layer
    n_attention_layers                               — hybrid: how many layers attend (the rest are recurrent)
    recurrent_state_elements                         — recurrent / hybrid: constant state per sequence (elements)
"""
from __future__ import annotations

import math

from .. import validate
from . import _check as c

ATTENTION_KINDS = ("full", "sliding", "alternating", "mla", "recurrent", "hybrid")
KV_DTYPE_BYTES = {"bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int8": 1.0, "int4": 0.5}
# Bits per weight. GGUF k-quants mix block types: these are typical averages over a model
# (llama.cpp's own reports vary by ±0.1 bit with the architecture).
WEIGHT_BITS = {"fp32": 32.0, "bf16": 16.0, "fp16": 16.0, "fp8": 8.0, "int8": 8.0, "int4": 4.0,
               "Q8_0": 8.5, "Q6_K": 6.56, "Q5_K_M": 5.69, "Q5_0": 5.5, "Q4_K_M": 4.85, "Q4_0": 4.5,
               "Q3_K_M": 3.91, "Q2_K": 2.63}


def _int(arch, key, lo=1, hi=c.L.MAX_CONTEXT):
    if arch.get(key) is None:
        raise c.InputError(key, f"{key} is required for attention = {arch.get('attention')!r}")
    return c.count(arch[key], key, hi, lo=lo)


def kv_layer_counts(arch: dict) -> dict:
    """How many layers of each kind hold a cache: full, sliding (windowed), mla, recurrent."""
    arch = validate.mapping("arch", arch)
    kind = validate.choice("attention", arch.get("attention", "full"), ATTENTION_KINDS, "attention kind")
    n = _int(arch, "n_layers", hi=c.L.MAX_LAYERS)
    if kind == "alternating":
        every = _int(arch, "global_every", hi=c.L.MAX_LAYERS)
        n_global = n // every
        return {"full": n_global, "sliding": n - n_global, "mla": 0, "recurrent": 0}
    if kind == "hybrid":
        n_attn = _int(arch, "n_attention_layers", lo=0, hi=n)
        return {"full": n_attn, "sliding": 0, "mla": 0, "recurrent": n - n_attn}
    return {"full": n if kind == "full" else 0, "sliding": n if kind == "sliding" else 0,
            "mla": n if kind == "mla" else 0, "recurrent": n if kind == "recurrent" else 0}


def kv_cache_bytes_arch(arch: dict, seq_len, bytes_per_element=2.0) -> dict:
    """§19.1 by layer kind — full: 2·n_kv·d_head·T·B; sliding: 2·n_kv·d_head·min(T, W)·B;
    MLA: (kv_lora_rank + qk_rope_head_dim)·T·B; recurrent: a constant state·B."""
    t = c.count(seq_len, "seq_len", c.L.MAX_CONTEXT, lo=0)
    layout = _kv_layout(arch, bytes_per_element)
    parts = _kv_parts(layout, t)
    total = sum(parts.values())
    counts = layout[0]
    return {"bytes": total, "GB": total / 1e9, "bytes_per_token": layout[5], "by_kind": parts, "layers": counts,
            "grows_with_context": bool(counts["full"] or counts["mla"]),
            "stops_growing_at": (arch.get("sliding_window") if counts["sliding"] and not
                                 (counts["full"] or counts["mla"]) else None)}


def kv_cache_bytes_curve(arch: dict, seq_lens, bytes_per_element=2.0) -> list:
    """§19.1 — kv_cache_bytes_arch's bytes at many context lengths (a chart, a table): the architecture
    checked once, then the same arithmetic at each length."""
    if not isinstance(seq_lens, (list, tuple)):
        raise c.InputError("seq_lens", "seq_lens must be a list of context lengths")
    layout = _kv_layout(arch, bytes_per_element)
    return [sum(_kv_parts(layout, c.count(t, "seq_len", c.L.MAX_CONTEXT, lo=0)).values()) for t in seq_lens]


def _kv_layout(arch: dict, bytes_per_element) -> tuple:
    """The checked architecture as §19.1 reads it: (layer counts, bytes per token and layer of an
    attention layer, window, MLA bytes per token and layer, recurrent state bytes, bytes one more
    token adds while every window is open)."""
    b = c.positive(bytes_per_element, "bytes_per_element", c.L.MAX_BYTES_PER_ELEMENT)
    counts = kv_layer_counts(arch)
    per_token = 0.0
    per_token_layer = window = mla = recurrent = None
    if counts["full"] or counts["sliding"]:
        per_token_layer = 2 * _int(arch, "n_kv_heads", hi=c.L.MAX_HEADS) * _int(arch, "d_head", hi=c.L.MAX_HEAD_DIM) * b
        per_token += (counts["full"] + counts["sliding"]) * per_token_layer
        if counts["sliding"]:
            window = _int(arch, "sliding_window")
    if counts["mla"]:
        latent = _int(arch, "kv_lora_rank", hi=10**6) + _int(arch, "qk_rope_head_dim", lo=0, hi=10**6)
        per_token += counts["mla"] * latent * b
        mla = counts["mla"] * latent * b
    if counts["recurrent"]:
        state = c.nonneg(arch.get("recurrent_state_elements", 0) or 0, "recurrent_state_elements", 1e15)
        recurrent = state * b
    return counts, per_token_layer, window, mla, recurrent, per_token


def _kv_parts(layout: tuple, t: int) -> dict:
    """Bytes by layer kind at t tokens, from a checked layout."""
    counts, per_token_layer, window, mla, recurrent, _ = layout
    parts = {}
    if per_token_layer is not None:
        parts["full"] = counts["full"] * per_token_layer * t
        if window is not None:
            parts["sliding"] = counts["sliding"] * per_token_layer * min(t, window)
    if mla is not None:
        parts["mla"] = mla * t
    if recurrent is not None:
        parts["recurrent"] = recurrent
    return parts


def kv_bytes_per_token(arch: dict, bytes_per_element=2.0) -> float:
    """§19.1 — KV bytes added by one more token at the start of a sequence (all windows open)."""
    return kv_cache_bytes_arch(arch, 1, bytes_per_element)["bytes_per_token"]


def weight_bytes(n_params, weights="bf16") -> float:
    """§19.3 — weight memory = N · bits_per_weight / 8 (dtype or GGUF quantisation name)."""
    bits = WEIGHT_BITS[validate.choice("weights", weights, WEIGHT_BITS, "weight format")]
    return c.params(n_params, "n_params") * bits / 8


def decode_tokens_per_s(weights_bytes_read, kv_bytes_read, hbm_gb_per_s, achieved_fraction=0.6) -> float:
    """§19.7 with the KV cache — tok/s = fraction·HBM bytes/s ÷ (weight bytes + KV bytes read per token)."""
    w = c.positive(weights_bytes_read, "weights_bytes_read", 1e16)
    kv = c.nonneg(kv_bytes_read, "kv_bytes_read", 1e16)
    bw = c.positive(hbm_gb_per_s, "hbm_gb_per_s", c.L.MAX_BANDWIDTH_GB_S)
    frac = c.fraction(achieved_fraction, "achieved_fraction")
    return decode_rate(w + kv, bw, frac)


def decode_rate(bytes_read_per_token, hbm_gb_per_s, achieved_fraction) -> float:
    """§19.7 — tok/s = fraction·HBM bytes/s ÷ bytes read per token, on arguments already validated
    (decode_tokens_per_s checks them; X-5's table checks a request once, then rates every GPU)."""
    return achieved_fraction * (hbm_gb_per_s * 1e9) / bytes_read_per_token


def training_flops_per_token(n_params, n_layers=None, d_model=None, seq_len=None,
                             convention="6N+attention") -> dict:
    """§17.10 — FLOPs per training token: 6·N, or 6·N + 12·L·d·T with the attention term."""
    n = c.params(n_params, "n_params")
    convention = validate.choice("convention", convention, ("6N", "6N+attention"), "FLOPs convention")
    base = 6.0 * n
    if convention == "6N":
        return {"flops_per_token": base, "convention": "6·N (attention FLOPs not counted)"}
    attn = (12.0 * c.count(n_layers, "n_layers", c.L.MAX_LAYERS) * c.count(d_model, "d_model", 10**7)
            * c.count(seq_len, "seq_len", c.L.MAX_CONTEXT))
    return {"flops_per_token": base + attn, "attention_share": attn / base,
            "convention": "6·N + 12·L·d·T (attention FLOPs counted)"}


def largest_fitting_context(arch: dict, free_bytes, bytes_per_element=2.0, users=1,
                            max_context=c.L.MAX_CONTEXT):
    """Largest T with users·KV(T) ≤ free bytes (KV(T) is non-decreasing): None if even T = 1 does
    not fit; max_context if the cache stops growing below the budget."""
    free = float(free_bytes)
    users = c.count(users, "users", 10**7)
    kv = lambda t: users * kv_cache_bytes_arch(arch, t, bytes_per_element)["bytes"]  # noqa: E731
    if free < kv(1):
        return None
    if kv(max_context) <= free:
        return max_context
    lo, hi = 1, max_context  # kv(lo) fits, kv(hi) does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if kv(mid) <= free:
            lo = mid
        else:
            hi = mid
    return lo


__all__ = ["kv_layer_counts", "kv_cache_bytes_arch", "kv_cache_bytes_curve", "kv_bytes_per_token", "weight_bytes",
           "decode_tokens_per_s", "training_flops_per_token", "largest_fitting_context"]
