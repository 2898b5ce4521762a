"""§19 — inference: KV cache bytes, weight memory, memory-bound decode speed."""
from __future__ import annotations

from . import _check as c

BYTES_PER_WEIGHT = {"bf16": 2.0, "fp16": 2.0, "int8": 1.0, "fp8": 1.0, "int4": 0.5}


def _bytes(value, field="bytes_per_element"):
    return c.positive(value, field, c.L.MAX_BYTES_PER_ELEMENT)


def kv_cache_bytes(n_layers, n_kv_heads, d_head, seq_len, bytes_per_element=2.0) -> float:
    """§19.1 — KV cache bytes = 2·L·n_kv·d_head·seq·bytes_per_element (keys and values)."""
    return (2 * c.count(n_layers, "n_layers", c.L.MAX_LAYERS)
            * c.count(n_kv_heads, "n_kv_heads", c.L.MAX_HEADS)
            * c.count(d_head, "d_head", c.L.MAX_HEAD_DIM)
            * c.count(seq_len, "seq_len", c.L.MAX_CONTEXT, lo=0)
            * _bytes(bytes_per_element))


def kv_cache_memory(n_layers, n_kv_heads, d_head, seq_len, bytes_per_element=2.0) -> dict:
    """§19.1 — KV cache = 2·L·n_kv·d_head·seq·B bytes, also in MB and GB (1e6, 1e9)."""
    total = kv_cache_bytes(n_layers, n_kv_heads, d_head, seq_len, bytes_per_element)
    return {"bytes": total, "MB": total / 1e6, "GB": total / 1e9}


def model_weights_memory(N_params, bytes_per_element=2.0) -> dict:
    """§19.3 — weight memory = N·bytes_per_element (BF16 2, INT8 1, INT4 0.5), in GB."""
    total = c.params(N_params) * _bytes(bytes_per_element)
    return {"bytes": total, "GB": total / 1e9}


def inference_decode_throughput(N_params, hbm_GB_per_s, bytes_per_element=2.0) -> float:
    """§19.7 — memory-bound decode ceiling: tokens/s = HBM GB/s ÷ model GB (batch 1, weights only)."""
    model_gb = model_weights_memory(N_params, bytes_per_element)["GB"]
    return c.positive(hbm_GB_per_s, "hbm_GB_per_s", c.L.MAX_BANDWIDTH_GB_S) / model_gb
