"""X-FIT — will it fit? Weights + KV cache × context × users + runtime reserve against N GPUs:
fits / tight / does not fit, which side is the problem, the largest context that fits, and the
cheapest rescue (KV quantisation, lower weight precision, more GPUs)."""
from __future__ import annotations

import math

from .. import formulas as F
from .. import quantities as Q
from ..formulas import limits as L
from ..formulas.memory import ATTENTION_KINDS, KV_DTYPE_BYTES, WEIGHT_BITS
from .base import (CONTEXT_FIELDS, GPU, MEMORY_UTILIZATION, Param, Recipe, Verdict, beyond_support,
                   context_support, model_param, support_step)
from .common import kv_step, weights_step

OPTIONAL_ARCH = dict(optional=True, group="model")
PARAMS = [
    model_param("n_params", aliases=("N_params",), help="total parameter count (MoE: all experts live in memory)"),
    Param("attention", "choice", "how the layers cache context", default="full", choices=ATTENTION_KINDS,
          group="model"),
    model_param("n_layers"), model_param("n_kv_heads", optional=True), model_param("d_head", optional=True),
    Param("sliding_window", "integer", "tokens a windowed layer keeps", unit="tokens", min=1,
          max=L.MAX_CONTEXT, **OPTIONAL_ARCH),
    Param("global_every", "integer", "alternating: every k-th layer attends globally", min=1,
          max=L.MAX_LAYERS, **OPTIONAL_ARCH),
    Param("kv_lora_rank", "integer", "MLA: compressed KV latent per token and layer", min=1, max=10**6,
          **OPTIONAL_ARCH),
    Param("qk_rope_head_dim", "integer", "MLA: decoupled RoPE key per token and layer", min=0, max=10**6,
          **OPTIONAL_ARCH),
    Param("n_attention_layers", "integer", "hybrid: layers that attend (the rest are recurrent)", min=0,
          max=L.MAX_LAYERS, **OPTIONAL_ARCH),
    Param("recurrent_state_elements", "number", "recurrent/hybrid: constant state per sequence",
          unit="elements", min=0, max=1e15, **OPTIONAL_ARCH),
    model_param("T_train", optional=True, help="context the model was trained at (caps the largest context)"),
    *(model_param(n) for n in CONTEXT_FIELDS),
    GPU,
    Param("n_gpus", "integer", "GPUs the model is split across (tensor parallel)", unit="GPUs", default=1,
          min=1, max=4096),
    Param("context", "integer", "tokens per request (prompt + output)", unit="tokens", default=8192,
          min=1, max=L.MAX_CONTEXT, aliases=("T_eval",)),
    Param("concurrent_users", "integer", "requests held in memory at once", unit="users", default=1,
          min=1, max=10_000_000),
    Param("weights", "choice", "weight precision or GGUF quantisation", default="bf16",
          choices=tuple(WEIGHT_BITS)),
    Param("kv_dtype", "choice", "KV-cache precision", default="bf16", choices=tuple(KV_DTYPE_BYTES)),
    MEMORY_UTILIZATION,
    Param("tight_margin", "number", "within this share of the usable memory counts as tight",
          default=0.1, min=0, max=0.9),
]
RESCUE_GPU_LIMIT = 64


def _need(p, arch, weights, kv_dtype, t, users):
    w = Q.weights_bytes(p["n_params"], WEIGHT_BITS[weights])
    kv = Q.kv_bytes(arch, t, KV_DTYPE_BYTES[kv_dtype]) * users
    return w, kv


def _chart(p, arch, usable, t):
    """Memory versus context, from the same functions as the steps; every label from here."""
    top = min(max(t * 2, 4096), L.MAX_CONTEXT)  # past half the input's bound: up to the bound, not beyond
    points = sorted({int(round(2 ** (k / 2))) for k in range(20, int(2 * math.log2(top)) + 1)} | {t})
    series = []
    for ctx in points:
        w, kv = _need(p, arch, p["weights"], p["kv_dtype"], ctx, p["concurrent_users"])
        series.append({"context": ctx, "weights_bytes": w, "kv_bytes": kv})
    tight_from = 1 - p["tight_margin"]
    return {"series": series, "usable_bytes": usable, "tight_bytes": usable * tight_from, "context": t,
            "labels": {"tight": f"tight: over {tight_from * 100:g}% of usable memory",
                       "over": "does not fit", "usable": "usable memory",
                       "x_axis": "context (tokens, log scale)", "y_axis": "memory (bytes)"}}


def compute(p, chain, caveats):
    arch, gpu = p["arch"], Q.gpu(p["gpu"])
    t, users, n_gpus = p["context"], p["concurrent_users"], p["n_gpus"]
    usable = Q.usable_memory_bytes(gpu, n_gpus, p["memory_utilization"])
    kv_element = KV_DTYPE_BYTES[p["kv_dtype"]]
    bits = WEIGHT_BITS[p["weights"]]
    w = weights_step(p["n_params"], bits, chain, f" ({p['weights']})")
    kv = kv_step(arch, t, kv_element, chain, caveats)["bytes"] * users
    chain.add("§20.3", "Usable GPU memory", "VRAM × n_gpus × memory_utilization",
              {"gpu": gpu["name"], "vram_bytes": gpu["vram_gb"] * 1e9, "n_gpus": n_gpus,
               "memory_utilization": p["memory_utilization"]}, usable,
              f"{usable / 1e9:,.1f} GB usable on {n_gpus}× {gpu['name']}", unit="bytes",
              figures={"memory_usable_bytes": usable},
              at={"gpu": gpu["name"], "n_gpus": n_gpus, "memory_utilization": p["memory_utilization"]})
    if gpu["memory_kind"] == "unified":
        caveats.add("unified_memory", f"{gpu['name']} shares its memory with the CPU and the system: "
                    "lower memory_utilization to what your OS leaves free.")
    need = w + kv
    share = need / usable
    free_for_kv = usable - w
    by_memory = F.largest_fitting_context(arch, free_for_kv, kv_element, users) if free_for_kv > 0 else None
    support = context_support(p, t)
    support_step(p, support, chain)
    positions = arch.get("position_encoding", "rope") != "none"  # a recurrent core has no position limit
    largest, limited_by = _largest_context(by_memory, support["supported"],
                                           (p.get("max_position_embeddings") or support["supported"]) if positions else None)
    fits = share <= 1
    where = {"context": t, "kv_bytes_per_element": kv_element, "bits_per_weight": bits, "concurrent_users": users}
    chain.add("§20.3", "Memory needed ÷ usable", "(weights + users × KV per request) ÷ usable",
              {"weights_bytes": w, "kv_bytes_total": kv, "memory_usable_bytes": usable}, share,
              f"{share * 100:,.1f}% of usable memory",
              figures={"kv_bytes_total": (kv, where), "memory_needed_bytes": (need, where),
                       "fits": (fits, {**where, "gpu": gpu["name"], "n_gpus": n_gpus,
                                       "memory_utilization": p["memory_utilization"]})})
    chain.add("§19.1", "Largest context that fits",
              "the smaller of: largest T with weights + users·KV(T) ≤ usable (exact search), and the supported "
              "context (a cache that stops growing: the position limit)",
              {"free_for_kv_bytes": free_for_kv, "concurrent_users": users, "largest_by_memory": by_memory,
               "supported_context": support["supported"]}, largest, _largest_words(largest, limited_by),
              unit="tokens", figures={"largest_context_tokens": largest,
                                      "context_limited_by_memory": limited_by == "memory"},
              at={"kv_bytes_per_element": kv_element, "bits_per_weight": bits, "concurrent_users": users,
                  "gpu": gpu["name"], "n_gpus": n_gpus, "memory_utilization": p["memory_utilization"]},
              limited_by=limited_by)
    side = "weights" if w > usable else "KV cache"
    extras = {"chart": _chart(p, arch, usable, t), "bound_by": side, "largest_context": largest,
              "largest_context_limited_by": limited_by}
    return beyond_support(_memory_verdict(p, arch, gpu, usable, chain, w, kv, need, share, side, largest, limited_by,
                                          extras), support, caveats)


def _largest_context(by_memory, supported, position_limit):
    """(largest context, what limits it): memory, the supported context, or — for a cache that stops
    growing — the position limit; (None, 'memory') when even one token does not fit."""
    if by_memory is None:
        return None, "memory"
    if by_memory >= L.MAX_CONTEXT:  # the cache stops growing: memory sets no limit
        return (position_limit, "position limit") if position_limit else (None, "nothing known")
    if supported is not None and supported < by_memory:
        return supported, "supported context"
    return by_memory, "memory"


def _memory_verdict(p, arch, gpu, usable, chain, w, kv, need, share, side, largest, limited_by, extras):
    if share <= 1 - p["tight_margin"]:
        return Verdict("FITS", "ok", f"{need / 1e9:,.1f} GB of {usable / 1e9:,.1f} GB usable ({share * 100:.0f}%).",
                "None required. " + _largest_words(largest, limited_by), extras)
    if share <= 1:
        return Verdict("TIGHT", "warning", f"{need / 1e9:,.1f} GB of {usable / 1e9:,.1f} GB usable ({share * 100:.0f}%): "
                f"little headroom for longer prompts or more users; the larger part is the {side}.",
                _rescue(p, arch, gpu, usable, chain), extras)
    return Verdict("DOES NOT FIT", "critical",
            f"Needs {need / 1e9:,.1f} GB but {usable / 1e9:,.1f} GB is usable; the problem is the {side}"
            + (f" ({w / 1e9:,.1f} GB of weights alone)." if side == "weights" else
               f" ({kv / 1e9:,.1f} GB of KV cache)."), _rescue(p, arch, gpu, usable, chain), extras)


def _largest_words(largest, limited_by) -> str:
    if limited_by == "nothing known":
        return "Not limited by memory (the cache stops growing) and no position limit known."
    if largest is None:
        return "Even one token does not fit."
    if limited_by == "position limit":
        return f"Not limited by memory (the cache stops growing); the position limit is {largest:,} tokens."
    if limited_by == "supported context":
        return f"Largest context: {largest:,} tokens, the context the model supports (memory would allow more)."
    return f"Largest context at this load: {largest:,} tokens (limited by memory)."


def _rescue(p, arch, gpu, usable, chain) -> str:
    """Cheapest first: quantise the KV cache, then the weights, then add GPUs of the same kind."""
    t, users = p["context"], p["concurrent_users"]
    target = usable * (1 - p["tight_margin"])
    options = []  # (rescue, need in bytes on the current GPUs, fits)
    for kv_dtype in ("fp8", "int4"):
        if KV_DTYPE_BYTES[kv_dtype] < KV_DTYPE_BYTES[p["kv_dtype"]]:
            need = sum(_need(p, arch, p["weights"], kv_dtype, t, users))
            options.append((f"KV cache in {kv_dtype}", need, need <= target))
    for weights in ("int8", "Q4_K_M"):
        if WEIGHT_BITS[weights] < WEIGHT_BITS[p["weights"]]:
            need = sum(_need(p, arch, weights, p["kv_dtype"], t, users))
            options.append((f"weights in {weights}", need, need <= target))
    for weights, kv_dtype in (("int8", "fp8"), ("Q4_K_M", "int4")):  # both at once
        if WEIGHT_BITS[weights] < WEIGHT_BITS[p["weights"]] and KV_DTYPE_BYTES[kv_dtype] < KV_DTYPE_BYTES[p["kv_dtype"]]:
            need = sum(_need(p, arch, weights, kv_dtype, t, users))
            options.append((f"weights in {weights} and KV cache in {kv_dtype}", need, need <= target))
    need = sum(_need(p, arch, p["weights"], p["kv_dtype"], t, users))
    per_gpu_target = target / p["n_gpus"]
    gpus = math.ceil(need / per_gpu_target)
    options.append((f"{gpus}× {gpu['name']}", need, gpus <= RESCUE_GPU_LIMIT))
    chain.add("§20.3", "Rescues (cheapest first)", "recompute the need with each change",
              {"target_bytes": target},
              [{"rescue": name, "need_bytes": bytes_, "fits": fits} for name, bytes_, fits in options],
              f"{sum(1 for *_, fits in options if fits)} of {len(options)} option(s) fit under "
              f"{(1 - p['tight_margin']) * 100:.0f}% of usable memory")
    fitting = [name for name, _, fits in options if fits]
    if not fitting:
        return f"Nothing simple fits: more than {RESCUE_GPU_LIMIT} {gpu['name']} would be needed; pick a larger GPU."
    others = f" Other options: {', '.join(fitting[1:])}." if len(fitting) > 1 else ""
    return f"Cheapest rescue: {fitting[0]}.{others}"


RECIPE = Recipe("X-FIT", "Will It Fit?",
                "Do the weights and the KV cache for this context and these users fit on my GPUs? "
                "What is the largest context that does, and the cheapest rescue?",
                "serving", ["§19", "§20"], PARAMS, compute)
