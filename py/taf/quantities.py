"""One function per quantity. Every recipe, the profile and compare call these — never a
formula of their own — so a quantity asked twice under the same conditions has one value.

Layer: formulas (pure) and data (catalog) below; recipes, profile and compare above. Inputs are
plain numbers, an architecture dict (formulas/memory.py) and GPU records from the catalog;
results are in SI units (bytes, s, tokens/s, USD)."""
from __future__ import annotations

from . import catalog
from . import formulas as F
from .figures import SECONDS_PER_HOUR
from .formulas import _check as c
from .formulas.memory import decode_rate

DEFAULT_ACHIEVED_BANDWIDTH = 0.6   # share of peak HBM bandwidth a serving stack reaches (H200: 0.44–0.75)
DEFAULT_MFU = 0.45                 # measured on H200 with attention FLOPs counted


def weights_bytes(n_params, bits_per_weight) -> float:
    """§19.3 — weight bytes = N · bits_per_weight ÷ 8 (all parameters: MoE experts all live in memory)."""
    return c.params(n_params, "n_params") * c.positive(bits_per_weight, "bits_per_weight", 128) / 8


def kv_cache(arch: dict, context, bytes_per_element) -> dict:
    """§19.1 by layer kind (formulas/memory.py) plus a sentence on how it grows with context."""
    kv = F.kv_cache_bytes_arch(arch, context, bytes_per_element)
    if kv["grows_with_context"]:
        growth = "grows with context length"
    elif kv["stops_growing_at"]:
        growth = f"stops growing at {kv['stops_growing_at']:,} tokens (sliding window)"
    else:
        growth = "does not grow with context length (constant recurrent state)"
    return {**kv, "growth": growth}


def kv_bytes(arch: dict, context, bytes_per_element) -> float:
    """§19.1 — KV bytes of one request at `context` tokens, by layer kind."""
    return F.kv_cache_bytes_arch(arch, context, bytes_per_element)["bytes"]


GIB = 2 ** 30
UNIFIED_GPU_SHARE = 0.75  # macOS lets the GPU wire ~70–78% of RAM by default (when the catalog gives no share)


def device_memory_bytes(gpu: dict) -> float:
    """§20.3 — the memory one card exposes, in bytes: the catalog's reported total (a card sold as
    "80 GB" exposes about 80 GiB, not 80·10⁹ B), else its marketed size read as GiB; unified memory
    (Apple, DGX Spark): the share of RAM the GPU may use by default."""
    total = float(gpu.get("memory_bytes") or gpu["vram_gb"] * GIB)
    if gpu.get("memory_kind") == "unified":
        total *= gpu.get("gpu_usable_share") or UNIFIED_GPU_SHARE
    return total


def usable_memory_bytes(gpu: dict, n_gpus, memory_utilization) -> float:
    """§20.3 — memory a serving stack may fill: device bytes × n_gpus × memory_utilization (X-5; X-FIT's
    ideal engine)."""
    return usable_memory_bytes_on([gpu], n_gpus, memory_utilization)[0]


def usable_memory_bytes_on(gpus: list, n_gpus, memory_utilization) -> list:
    """usable_memory_bytes on each of several GPUs (X-5's eligibility test): the inputs validated once."""
    n = c.count(n_gpus, "n_gpus", c.L.MAX_GPUS)
    share = c.fraction(memory_utilization, "memory_utilization")
    return [device_memory_bytes(gpu) * n * share for gpu in gpus]


def decode_tokens_per_s(active_weights_bytes, kv_bytes_per_request, concurrent_users, gpu: dict,
                        achieved_bandwidth_fraction=DEFAULT_ACHIEVED_BANDWIDTH) -> dict:
    """§19.7 with the KV cache — one decode step reads the active weights once and every request's
    KV cache once: per request = f·HBM ÷ (W + users·KV); all requests = users × that."""
    return decode_tokens_per_s_on([gpu], active_weights_bytes, kv_bytes_per_request, concurrent_users,
                                  achieved_bandwidth_fraction)[0]


def decode_tokens_per_s_on(gpus: list, active_weights_bytes, kv_bytes_per_request, concurrent_users,
                           achieved_bandwidth_fraction=DEFAULT_ACHIEVED_BANDWIDTH) -> list:
    """decode_tokens_per_s on each of several GPUs (X-5's table): the inputs validated once, then
    §19.7 (formulas/memory.py) per GPU with its bandwidth."""
    users = c.count(concurrent_users, "concurrent_users", 10**7)
    read = c.positive(active_weights_bytes, "active_weights_bytes", 1e16) + \
        users * c.nonneg(kv_bytes_per_request, "kv_bytes_per_request", 1e16)
    frac = c.fraction(achieved_bandwidth_fraction, "achieved_bandwidth_fraction")
    out = []
    for gpu in gpus:
        bandwidth = c.positive(gpu["hbm_gb_per_s"], "hbm_gb_per_s", c.L.MAX_BANDWIDTH_GB_S)
        per_request = decode_rate(read, bandwidth, frac)
        out.append({"per_request": per_request, "total": per_request * users})
    return out


def usd_per_million_tokens(tokens_per_s, usd_per_hour):
    """§19.9 / §20.12 — USD per million generated tokens = USD/h ÷ (tokens/s · 3600 ÷ 1e6); None if unpriced."""
    if usd_per_hour is None:
        return None
    return usd_per_hour / (c.positive(tokens_per_s, "tokens_per_s", 1e15) * SECONDS_PER_HOUR / 1e6)


def training_flops(n_params_active, tokens, convention="6N", n_layers=None, d_model=None, seq_len=None) -> dict:
    """§17.10 — C = FLOPs per token × D, with 6·N or 6·N + 12·L·d·T per token."""
    per_token = F.training_flops_per_token(n_params_active, n_layers, d_model, seq_len, convention)
    return {**per_token, "flops": per_token["flops_per_token"] * c.tokens(tokens, "D_tokens")}


def training_run(total_flops, gpu: dict, n_gpus, mfu, usd_per_gpu_hour) -> dict:
    """§20.11 — wall time = C ÷ (peak·MFU·n_gpus); GPU-hours = time·n_gpus; USD = GPU-hours·USD/h."""
    seconds = F.training_seconds(c.positive(total_flops, "total_flops", c.L.MAX_FLOPS), gpu["bf16_tflops"],
                                 c.fraction(mfu, "mfu"), c.count(n_gpus, "n_gpus", c.L.MAX_GPUS))
    gpu_hours = seconds / SECONDS_PER_HOUR * n_gpus
    return {"seconds": seconds, "gpu_hours": gpu_hours,
            "usd": None if usd_per_gpu_hour is None else gpu_hours * usd_per_gpu_hour}


def gpu_price(gpu: dict, override=None):
    """§20 — the hourly price used: the caller's, else the catalog's (None = unpriced local card)."""
    return F.resolve_gpu_price(gpu, override)


def gpu(name) -> dict:
    """A GPU record from the catalog (name, vram_gb, hbm_gb_per_s, bf16_tflops, usd_per_hour …)."""
    return catalog.gpu(name)
