"""The deployment model: a model on N GPUs under an inference engine — the bytes each card holds
(weights as shipped, the KV pool and every reserve the engine takes), the tokens the pool holds,
the largest context, decode and prefill speed with tensor/pipeline parallelism, cost, and the
engine's launch command. One function, `plan`, used by X-FIT, X-5, X-1 and the profile.

Layer: quantities (with quantities.py). Reads formulas (serving, memory) and the catalog's GPU
records; every rule cites the engine source in the `rule` text the recipes put in their chains."""
from __future__ import annotations

import re

from . import quantities as Q
from .quantities import weight_family
from .errors import InputError
from .formulas import _check as c
from .formulas import limits as L
from .formulas import serving as S
from .formulas.memory import KV_DTYPE_BYTES, WEIGHT_BITS, decode_rate, kv_cache_bytes_arch

ENGINES = ("vllm", "sglang", "llama.cpp", "transformers", "ideal")
ENGINE_LABELS = {"vllm": "vLLM", "sglang": "SGLang", "llama.cpp": "llama.cpp", "transformers": "transformers",
                 "ideal": "ideal (weights + KV only)"}
# KV-cache element sizes, engine spellings included (llama.cpp's q8_0/q4_0 carry a scale per 32 values).
KV_DTYPES = {**KV_DTYPE_BYTES, "q8_0": S.LLAMA_CPP_KV_BYTES["q8_0"], "q4_0": S.LLAMA_CPP_KV_BYTES["q4_0"]}
ENGINE_KV_DTYPES = {"vllm": ("bf16", "fp16", "fp8"), "sglang": ("bf16", "fp16", "fp8"),
                    "llama.cpp": ("bf16", "fp16", "q8_0", "q4_0"),
                    "transformers": ("bf16", "fp16", "int8", "int4"), "ideal": tuple(KV_DTYPES)}
# Weight formats: plain dtypes, group-quantised checkpoints, GGUF types (as llama.cpp prints them).
GROUP_FORMATS = {"gptq-int4": (4, 128), "gptq-int8": (8, 128), "awq-int4": (4, 128)}
PLAIN_FORMATS = {"fp32": 32.0, "bf16": 16.0, "fp16": 16.0, "fp8": 8.0, "int8": 8.0, "int4": 4.0,
                 "F32": 32.0, "BF16": 16.0, "F16": 16.0}  # the last three: GGUF's unquantised types as llama.cpp prints them
WEIGHT_FORMATS = (*PLAIN_FORMATS, *GROUP_FORMATS, "bnb-nf4", "bnb-int8", *S.GGUF_BITS_PER_WEIGHT, "as_shipped")
BNB_NF4_BITS = 4 + 8 / 64 + 32 / (64 * 256)  # nf4 + 8-bit absmax per 64 + fp32 per 256 blocks (double quant)

DEFAULT_GPU_MEMORY_UTILIZATION = 0.9   # vLLM's default (--gpu-memory-utilization)
DEFAULT_IDEAL_UTILIZATION = 0.9
VLLM_BLOCK_TOKENS = 16                 # vLLM's default --block-size
VLLM_NON_TORCH_BYTES = 0.25 * S.GIB    # NCCL/cuBLAS allocations outside PyTorch, one card (estimate)
VLLM_NON_TORCH_TP_BYTES = 0.5 * S.GIB  # more with tensor parallel (NCCL buffers) (estimate)
VLLM_CUDA_GRAPH_BYTES = 0.75 * S.GIB   # graphs captured after the pool, from the headroom (0.4–2.5 GiB reported)
LLAMA_CPP_UBATCH = 512                 # llama.cpp's default -ub
COLLECTIVE_LATENCY_S = 8e-6            # one small all-reduce between cards (estimate)
DEFAULT_LINK_BYTES_PER_S = 64e9        # PCIe 5.0 ×16 per direction when the catalog names no link


def _gpu_memory_bytes(gpu: dict) -> float:
    """What the device reports (before any unified-memory share): engines size their defaults by it."""
    return float(gpu.get("memory_bytes") or gpu["vram_gb"] * S.GIB)


def gpu_capacity(gpu: dict) -> dict:
    """Device memory as the engine sees it (quantities.device_memory_bytes) and, for unified memory,
    the RAM and the share the GPU may use."""
    unified = gpu.get("memory_kind") == "unified"
    return {"total_bytes": Q.device_memory_bytes(gpu), "ram_bytes": _gpu_memory_bytes(gpu) if unified else None,
            "gpu_usable_share": (gpu.get("gpu_usable_share") or Q.UNIFIED_GPU_SHARE) if unified else None}


# ---- weights as shipped --------------------------------------------------------------------------------

def _shapes(model: dict) -> dict | None:
    """Parameter groups from the architecture: embedding, output head, attention and MLP of every layer
    (None when the record lacks the shapes)."""
    d, v, n, heads = model.get("d_model"), model.get("vocab_size"), model.get("n_layers"), model.get("n_attention_heads")
    if not (d and v and n and heads and model.get("n_params")):
        return None
    kv, hd = model.get("n_kv_heads") or heads, model.get("d_head") or d // heads
    attention = d * heads * hd * 2 + 2 * d * kv * hd
    embed = v * d
    head = 0 if model.get("tie_word_embeddings") else v * d
    total = float(model["n_params"])
    rest = max(0.0, total - embed - head - n * attention)
    return {"embedding": embed, "lm_head": head, "attention_per_layer": attention, "layers": n,
            "mlp_per_layer": rest / n, "total": total}


def weights_as_shipped(model: dict, weights: str) -> dict:
    """Weight bytes of a checkpoint format: {bytes, bits_per_weight, parts, rule}. Plain dtypes and GGUF
    averages apply to every parameter; GPTQ/AWQ/bitsandbytes quantise the linear layers and keep the
    embeddings and output head in 16-bit; `as_shipped` reads the config's torch_dtype and
    quantization_config (fp8 with modules_to_not_convert keeps those modules in 16-bit)."""
    n = float(model["n_params"])
    if weights == "as_shipped":
        return _as_shipped(model, n)
    if weights in S.GGUF_BITS_PER_WEIGHT:
        bits = S.GGUF_BITS_PER_WEIGHT[weights]
        return _uniform(n, bits, f"GGUF {weights}: {bits:g} bits per weight averaged over a whole file "
                        f"({S.GGUF_SOURCE})")
    if weights in PLAIN_FORMATS:
        return _uniform(n, PLAIN_FORMATS[weights], f"{weights}: {PLAIN_FORMATS[weights]:g} bits per weight")
    if weights in GROUP_FORMATS:
        bits, group = GROUP_FORMATS[weights]
        linear_bits = S.group_quant_bits_per_weight(bits, group)
        return _linear_quantised(model, n, linear_bits, f"{weights} (group {group}): {linear_bits:.3f} bits per "
                                 "linear weight (packed weights + fp16 scale + packed zero per group); "
                                 "embeddings and output head in 16-bit")
    if weights in ("bnb-nf4", "bnb-int8"):
        linear_bits = BNB_NF4_BITS if weights == "bnb-nf4" else 8 + 32 / 4096
        return _linear_quantised(model, n, linear_bits, f"bitsandbytes {weights[4:]}: {linear_bits:.3f} bits per "
                                 "linear weight; embeddings and output head in 16-bit")
    raise InputError("weights", f"unknown weight format {weights!r}; choose one of: {', '.join(WEIGHT_FORMATS)}")


def _uniform(n, bits, rule) -> dict:
    return {"bytes": n * bits / 8, "bits_per_weight": bits, "parts": [{"part": "all parameters", "params": n,
            "bits": bits, "bytes": n * bits / 8}], "rule": rule}


def _parts_result(parts, rule) -> dict:
    total = sum(p["bytes"] for p in parts)
    params = sum(p["params"] for p in parts)
    return {"bytes": total, "bits_per_weight": total * 8 / params, "parts": parts, "rule": rule}


def _part(name, params, bits) -> dict:
    return {"part": name, "params": float(params), "bits": bits, "bytes": params * bits / 8}


def _linear_quantised(model, n, linear_bits, rule) -> dict:
    shapes = _shapes(model)
    if shapes is None:
        return _uniform(n, linear_bits, rule + " (no layer shapes known: every parameter counted as linear)")
    kept = shapes["embedding"] + shapes["lm_head"]
    return _parts_result([_part("embeddings and output head (16-bit)", kept, 16.0),
                          _part("linear layers", max(0.0, n - kept), linear_bits)], rule)


def _as_shipped(model, n) -> dict:
    shipped = model.get("shipped") or {}
    dtype = shipped.get("torch_dtype") or "bf16"
    quant = shipped.get("quant_method")
    base_bits = PLAIN_FORMATS.get(dtype, 16.0)
    if not quant:
        return _uniform(n, base_bits, f"as shipped: torch_dtype {dtype}, no quantization_config")
    bits = shipped.get("bits")
    if quant in ("gptq", "awq"):
        group = shipped.get("group_size") or 128
        if group <= 0:  # GPTQ's group_size -1 = one group per row
            group = model.get("d_model") or 4096
        linear = S.group_quant_bits_per_weight(bits or 4, group)
        return _linear_quantised(model, n, linear, f"as shipped: {quant} {bits or 4}-bit, group {group} "
                                 f"({linear:.3f} bits per linear weight); embeddings and output head in 16-bit")
    if quant == "bitsandbytes":
        linear = BNB_NF4_BITS if shipped.get("load_in_4bit") else 8 + 32 / 4096
        return _linear_quantised(model, n, linear, "as shipped: bitsandbytes; embeddings and output head in 16-bit")
    if quant in ("fp8", "fbgemm_fp8", "compressed-tensors", "modelopt"):
        w_bits = 8.0 if quant != "compressed-tensors" else float(bits or 8)
        block = shipped.get("weight_block_size")
        if block:  # one fp32 scale per block (DeepSeek-V3: 128×128)
            w_bits += 32 / (block[0] * block[1])
        return _fp8_mixed(model, n, w_bits, shipped.get("modules_to_not_convert") or (), quant)
    if quant == "mxfp4":
        return _linear_quantised(model, n, 4.25, "as shipped: mxfp4 (4-bit values + one 8-bit scale per 32) on "
                                 "the experts; the rest in 16-bit (estimated as all linear layers)")
    raise InputError("weights", f"quantization_config.quant_method {quant!r} is not modelled; choose a weights "
                     "format explicitly (e.g. int4, fp8, gptq-int4)")


_LAYER = re.compile(r"layers\.(\d+)\.(self_attn|mlp|block_sparse_moe)")


def _fp8_mixed(model, n, w_bits, skipped, quant) -> dict:
    """fp8 linear layers, except the modules the config names in modules_to_not_convert (16-bit)."""
    shapes = _shapes(model)
    if shapes is None:
        return _uniform(n, w_bits, f"as shipped: {quant}, {w_bits:g} bits per weight (no layer shapes known)")
    attn_layers, mlp_layers = set(), set()
    head_skipped = False
    for name in skipped:
        text = str(name)
        match = _LAYER.search(text)
        if match:
            (attn_layers if match.group(2) == "self_attn" else mlp_layers).add(int(match.group(1)))
        elif "lm_head" in text:
            head_skipped = True
    kept_attn = len(attn_layers) * shapes["attention_per_layer"]
    kept_mlp = len(mlp_layers) * shapes["mlp_per_layer"]
    parts = [_part("embeddings (16-bit)", shapes["embedding"], 16.0)]
    if shapes["lm_head"]:
        parts.append(_part("output head", shapes["lm_head"], 16.0 if head_skipped or not skipped else w_bits))
    if kept_attn:
        parts.append(_part(f"attention of {len(attn_layers)} layers (not converted, 16-bit)", kept_attn, 16.0))
    if kept_mlp:
        parts.append(_part(f"MLP of {len(mlp_layers)} layers (not converted, 16-bit)", kept_mlp, 16.0))
    converted = max(0.0, n - sum(p["params"] for p in parts))
    parts.append(_part("fp8 linear layers", converted, w_bits))
    note = f"{len(skipped)} modules not converted" if skipped else "every linear layer converted"
    return _parts_result(parts, f"as shipped: {quant} ({note}); embeddings in 16-bit")


def shipped_format_name(model: dict) -> str:
    """A short name of the checkpoint's format (for the chain and the launch flags)."""
    shipped = model.get("shipped") or {}
    if shipped.get("quant_method"):
        bits = shipped.get("bits")
        return f"{shipped['quant_method']}{'-int' + str(bits) if bits else ''}"
    return shipped.get("torch_dtype") or "bf16"


# ---- the plan ------------------------------------------------------------------------------------------

def split(n_gpus: int, tensor_parallel) -> tuple:
    """(tensor parallel, pipeline parallel): TP defaults to every GPU; PP = n_gpus ÷ TP."""
    tp = n_gpus if tensor_parallel is None else tensor_parallel
    if tp > n_gpus or n_gpus % tp:
        raise InputError("tensor_parallel", f"tensor_parallel must divide n_gpus ({n_gpus}); got {tp} "
                         f"(e.g. {', '.join(str(k) for k in range(1, n_gpus + 1) if n_gpus % k == 0)})")
    return tp, n_gpus // tp


def kv_per_card(arch: dict, kv_element: float, tp: int, pp: int) -> dict:
    """KV bytes one card holds, as a function of context: attention heads split by TP (replicated when
    n_kv < TP), an MLA latent stored whole on every TP rank, recurrent state split by TP; layers
    split by PP. Returns the per-token and constant parts and the window."""
    one = kv_cache_bytes_arch(arch, 1, kv_element)
    kinds = one["by_kind"]
    n_kv = arch.get("n_kv_heads") or 1
    head_share = S.kv_heads_per_card(n_kv, tp) / n_kv if (kinds.get("full") or kinds.get("sliding")) else 1.0
    return {"full": kinds.get("full", 0.0) * head_share / pp, "sliding": kinds.get("sliding", 0.0) * head_share / pp,
            "window": arch.get("sliding_window"), "mla": kinds.get("mla", 0.0) / pp,
            "recurrent": kinds.get("recurrent", 0.0) / (tp * pp), "head_share": head_share,
            "bytes_per_token_all_cards": (kinds.get("full", 0.0) * head_share * tp + kinds.get("sliding", 0.0) *
                                          head_share * tp + kinds.get("mla", 0.0) * tp)}


def vllm_fp8_mla(arch: dict, kv: dict, tp: int, pp: int) -> dict:
    """vLLM's fp8 MLA cache layout (FlashMLA, DeepSeek): per token and layer the latent in fp8, one
    float32 scale per 128 latent values and the RoPE key kept in 16-bit — 512 + 16 + 128 = 656 B for
    DeepSeek-V3 (serving-engines reference), not 576."""
    rank, rope = arch["kv_lora_rank"], arch["qk_rope_head_dim"]
    per_layer = rank + 4 * -(-rank // 128) + 2 * rope
    layers = kv_cache_bytes_arch(arch, 1, 1.0)["layers"]["mla"]
    return {**kv, "mla": layers * per_layer / pp, "bytes_per_token_all_cards": layers * per_layer * tp,
            "mla_layout": f"vLLM fp8 MLA: {per_layer} B per token per layer"}


def kv_card_bytes(kv: dict, context: int, window_pad: int = 0) -> float:
    """One request's KV bytes on one card at `context` tokens (sliding layers keep window + pad)."""
    sliding_tokens = min(context, (kv["window"] or context) + window_pad)
    return (kv["full"] + kv["mla"]) * context + kv["sliding"] * sliding_tokens + kv["recurrent"]


def plan(model: dict, arch: dict, gpu: dict, *, n_gpus=1, tensor_parallel=None, engine="vllm", weights="bf16",
         kv_dtype="bf16", gpu_memory_utilization=None, mem_fraction_static=None, memory_utilization=None,
         max_model_len=None, context=8192, concurrent_users=1, prompt_tokens=None, flash_attention=False,
         n_gpu_layers=None, achieved_bandwidth_fraction=None, mfu=None, usd_per_gpu_hour=None,
         max_num_batched_tokens=None, expert_parallel=False, decode_overhead_s=None, memory_only=False,
         memo=None) -> dict:
    """The deployment: per-card memory breakdown, KV pool tokens, fits, largest context, decode and
    prefill speed, cost and the launch command for `engine`. Inputs are validated by the caller's
    metadata; combinations are checked here and name the field to change."""
    if kv_dtype not in ENGINE_KV_DTYPES[engine]:
        raise InputError("kv_dtype", f"{ENGINE_LABELS[engine]} KV-cache types are "
                         f"{', '.join(ENGINE_KV_DTYPES[engine])}; got {kv_dtype!r}")
    if engine == "llama.cpp" and tensor_parallel is None:
        tensor_parallel = 1  # llama.cpp's default --split-mode layer: whole layers per GPU, one after another
    tp, pp = split(n_gpus, tensor_parallel)
    cap = gpu_capacity(gpu)
    total = cap["total_bytes"]
    memo = {} if memo is None else memo  # one run's re-plans (rescues) share the weights and KV layouts
    if ("w", weights) not in memo:
        memo[("w", weights)] = weights_as_shipped(model, weights)
    w = memo[("w", weights)]
    kv_element = KV_DTYPES[kv_dtype]
    if ("kv", kv_element, tp, pp) not in memo:
        memo[("kv", kv_element, tp, pp)] = kv_per_card(arch, kv_element, tp, pp)
    kv = memo[("kv", kv_element, tp, pp)]
    if engine == "vllm" and kv_dtype == "fp8" and kv["mla"]:
        kv = vllm_fp8_mla(arch, kv, tp, pp)
    users, t = concurrent_users, context
    weights_card = w["bytes"] / n_gpus
    items = []  # per-card breakdown: (item, bytes, rule)
    knob = DEFAULT_IDEAL_UTILIZATION if memory_utilization is None else memory_utilization
    window_pad = 0
    engine_rule = ""
    pool = None
    if engine == "vllm":
        util = knob = DEFAULT_GPU_MEMORY_UTILIZATION if gpu_memory_utilization is None else gpu_memory_utilization
        defaults = S.vllm_default_batched_tokens(_gpu_memory_bytes(gpu), "A100" in gpu["name"])
        if max_num_batched_tokens:  # given (--max-num-batched-tokens; vLLM V0 without chunked prefill: max_model_len)
            defaults = {**defaults, "max_num_batched_tokens": max_num_batched_tokens}
        d_ff = (model.get("moe_intermediate_size") or model.get("intermediate_size") or 4 * (model.get("d_model") or 4096))
        activation = S.vllm_activation_peak_bytes(defaults["max_num_batched_tokens"], model.get("d_model") or 4096,
                                                  d_ff / tp, model.get("vocab_size") or 32000, defaults["max_num_seqs"])
        non_torch = VLLM_NON_TORCH_BYTES + (VLLM_NON_TORCH_TP_BYTES if n_gpus > 1 else 0)
        requested = util * total
        pool = requested - weights_card - activation - non_torch
        items = [("weights", weights_card, w["rule"]),
                 ("activation peak (profiling run)", activation,
                  f"estimate: {defaults['max_num_batched_tokens']:,} batched tokens and {defaults['max_num_seqs']} "
                  "sequences' logits (vLLM gpu_worker.determine_available_memory; defaults from arg_utils.py)"),
                 ("non-torch memory", non_torch, "estimate: NCCL and cuBLAS allocations outside PyTorch"),
                 ("KV cache pool", max(0.0, pool), f"{util:g} × {total / S.GIB:,.2f} GiB − the items above")]
        window_pad = defaults["max_num_batched_tokens"]
        engine_rule = (f"vLLM: KV pool = gpu_memory_utilization ({util:g}) × total − weights − activation peak − "
                       "non-torch; pages of 16 tokens; CUDA graphs are captured afterwards in the remaining headroom")
        headroom = total - requested
        items.append(("headroom outside the pool (CUDA graphs, driver)", headroom,
                      f"(1 − {util:g}) × total; CUDA graphs ≈ {VLLM_CUDA_GRAPH_BYTES / S.GIB:g} GiB (0.4–2.5 GiB reported)"))
    elif engine == "sglang":
        rule = S.sglang_default_mem_fraction_static(_gpu_memory_bytes(gpu), tp, pp)
        mfs = knob = rule["mem_fraction_static"] if mem_fraction_static is None else mem_fraction_static
        pool = mfs * total - weights_card - S.DRIVER_CONTEXT_BYTES
        items = [("weights", weights_card, w["rule"]),
                 ("CUDA context", S.DRIVER_CONTEXT_BYTES, "estimate: driver and CUDA context"),
                 ("KV cache pool", max(0.0, pool), f"mem_fraction_static {mfs:g} × total − weights − context"),
                 ("activations and CUDA graphs (outside the static share)", (1 - mfs) * total,
                  "(1 − mem_fraction_static) × total" + (" — default from server_args.py: "
                  f"reserve {rule['reserve_bytes'] / S.GIB:,.2f} GiB" if mem_fraction_static is None else ""))]
        engine_rule = ("SGLang: weights + KV pool = mem_fraction_static × total (default from the card's memory, "
                       "server_args.py _handle_gpu_memory_settings); pool size in tokens = pool ÷ cell size")
    if pool is not None:
        per_token_card = kv["full"] + kv["mla"] + kv["sliding"]
        block = VLLM_BLOCK_TOKENS if engine == "vllm" else 1
        pool_tokens = S.block_rounded_tokens(max(0.0, pool), per_token_card, block) if per_token_card else None
        seq_tokens = -(-t // block) * block
        request_card = kv_card_bytes(kv, seq_tokens, window_pad)  # sliding layers: window + a batch of tokens
        need_card = weights_card + users * request_card
        fits = pool > 0 and users * request_card <= pool
        if engine == "vllm" and pool_tokens is not None and max_model_len is not None and max_model_len > pool_tokens:
            fits = False
        capacity_card = total
    else:
        pool_tokens = None
        fixed, capacity_card, items, engine_rule = _unpaged(engine, model, gpu, cap, w, weights_card, kv, t, users, tp,
                                                            pp, n_gpus, flash_attention, n_gpu_layers,
                                                            memory_utilization, prompt_tokens)
        need_card = sum(b for _, b, _ in items)
        fits = need_card <= capacity_card
        seq_tokens = t
    if memory_only:  # a rescue candidate: does it fit, and with what pool
        return {"fits": bool(fits), "kv_pool_tokens": pool_tokens, "need_card_bytes": need_card}
    largest = largest_context(engine, kv, pool, users, capacity_card, items, window_pad)
    family = weight_family(shipped_format_name(model) if weights == "as_shipped" else weights)
    efficiency, efficiency_from = (achieved_bandwidth_fraction, "given") if achieved_bandwidth_fraction else \
        Q.calibrated_decode_efficiency(engine, family, gpu)
    prefill_mfu, mfu_from = (mfu, "given") if mfu else Q.calibrated_prefill_mfu(engine, gpu, family)
    overhead, overhead_from = (decode_overhead_s, "given") if decode_overhead_s is not None else \
        Q.calibrated_decode_overhead(engine)
    speed = decode_speed(model, arch, gpu, w, kv, users, t, tp, pp, n_gpus, efficiency,
                         peak_flops(gpu, weights, w)[0], prefill_mfu, overhead)
    speed["efficiency"], speed["efficiency_from"] = efficiency, efficiency_from
    speed["overhead_from"] = overhead_from
    prefill = time_to_first_token(model, gpu, weights, w, prompt_tokens or t, tp, pp, prefill_mfu, efficiency, overhead)
    prefill["mfu_from"] = mfu_from
    price = Q.gpu_price(gpu, usd_per_gpu_hour)
    usd = None if price is None else Q.usd_per_million_tokens(speed["total"], price * n_gpus)
    return {"engine": engine, "tensor_parallel": tp, "pipeline_parallel": pp, "n_gpus": n_gpus,
            "capacity": cap, "card_bytes": capacity_card, "weights": w, "kv": kv, "kv_element": kv_element,
            "breakdown": [{"item": name, "bytes": b, "rule": rule} for name, b, rule in items],
            "engine_rule": engine_rule, "kv_pool_bytes": pool, "knob": knob, "kv_pool_tokens": pool_tokens,
            "need_card_bytes": need_card, "fits": bool(fits), "largest_context": largest,
            "max_concurrent_sequences": int(max(0.0, pool) // kv_card_bytes(kv, seq_tokens, window_pad))
            if pool is not None and kv_card_bytes(kv, seq_tokens, window_pad) > 0 else None,
            "kv_share_of_pool": (users * kv_card_bytes(kv, seq_tokens, window_pad) / pool) if pool else None,
            "kv_bytes_request": kv_card_bytes(kv, t) * n_gpus,
            "decode": speed, "prefill": prefill, "usd_per_gpu_hour": price, "usd_per_million_tokens": usd,
            "launch": launch_command(engine, model, gpu, w, weights, kv_dtype, tp, pp, t, users,
                                     gpu_memory_utilization, mem_fraction_static, max_model_len, n_gpu_layers,
                                     expert_parallel and bool(model.get("n_params_active")))}


def _unpaged(engine, model, gpu, cap, w, weights_card, kv, t, users, tp, pp, n_gpus, flash_attention, n_gpu_layers,
             memory_utilization, prompt_tokens):
    """llama.cpp, transformers and the ideal engine: everything one card holds, against what it has."""
    total = cap["total_bytes"]
    d, v = model.get("d_model") or 4096, model.get("vocab_size") or 32000
    d_ff = (model.get("intermediate_size") or 4 * d) / tp
    if engine == "ideal":
        util = DEFAULT_IDEAL_UTILIZATION if memory_utilization is None else memory_utilization
        items = [("weights", weights_card, w["rule"]), ("KV cache", users * kv_card_bytes(kv, t), "§19.1 per card")]
        return 0.0, util * total, items, f"ideal: weights + KV against memory_utilization ({util:g}) × total"
    if engine == "llama.cpp":
        n_ctx = S.llama_cpp_context(t * users)
        layers = model.get("n_layers") or 1
        offloaded = layers if n_gpu_layers is None else min(n_gpu_layers, layers)
        share = offloaded / layers
        embed = (v * d * w["bits_per_weight"] / 8) if model.get("vocab_size") and model.get("d_model") else 0.0
        on_gpu = max(0.0, (w["bytes"] - embed) * share) / n_gpus
        heads = max(1, (model.get("n_attention_heads") or 32) // n_gpus)
        compute = S.llama_cpp_compute_buffer_bytes(LLAMA_CPP_UBATCH, n_ctx, v, heads, d, d_ff, flash_attention)
        kv_gpu = kv_card_bytes(kv, n_ctx, LLAMA_CPP_UBATCH) * share
        items = [("weights on the GPU (token embedding stays in system RAM)", on_gpu,
                  w["rule"] + "; llama.cpp keeps the input embedding on the CPU"
                  + (f"; {offloaded} of {layers} layers offloaded (-ngl)" if share < 1 else "")),
                 ("KV cache", kv_gpu, f"-c {n_ctx:,} (context × slots, padded to 256) at the KV type"),
                 ("compute buffer", compute, "estimate: worst-case ubatch (512) graph: logits"
                  + ("" if flash_attention else " or attention scores (flash attention off)") + " + activations"),
                 ("CUDA context", S.DRIVER_CONTEXT_BYTES, "estimate: driver and CUDA context")]
        rule = ("llama.cpp: allocates the whole context (-c) up front, a compute buffer for the worst ubatch, "
                "splits layers across GPUs (--split-mode layer)")
        return 0.0, total, items, rule
    # transformers (eager generate): no paging; the prompt's forward pass at once
    prompt = prompt_tokens or t
    activation = users * prompt * (3 * d_ff + 4 * d) * 2 + users * v * 4
    items = [("weights", weights_card, w["rule"]),
             ("KV cache (contiguous, no paging)", users * kv_card_bytes(kv, t), "DynamicCache grows to batch × context"),
             ("activations of the prompt's forward pass", activation,
              "estimate: batch × prompt × (3·d_ff + 4·d) × 2 B + last-token logits"),
             ("CUDA context", S.DRIVER_CONTEXT_BYTES, "estimate: driver and CUDA context")]
    return 0.0, total, items, "transformers: weights + contiguous KV + the forward pass's activations"


def largest_context(engine, kv, pool, users, capacity_card, items, window_pad):
    """Largest context per request at this load (by memory alone; the caller caps it at the model's
    supported context). None: even one token does not fit; L.MAX_CONTEXT: the cache stops growing."""
    grows = kv["full"] + kv["mla"] > 0
    if pool is not None and pool <= 0:
        return None
    if not grows:
        return L.MAX_CONTEXT
    if pool is not None:  # a paged engine: the pool is the budget
        budget = pool - users * kv["recurrent"]
    else:  # buffers that grow with context are taken at the asked context (an upper bound below it)
        budget = capacity_card - sum(b for name, b, _ in items if not name.startswith("KV cache")) - users * kv["recurrent"]
    per_token, sliding = users * (kv["full"] + kv["mla"]), users * kv["sliding"]
    cap = (kv["window"] or L.MAX_CONTEXT) + window_pad  # sliding layers stop growing here
    ctx = int(budget // (per_token + sliding)) if budget > 0 else 0
    if ctx > cap:  # past the window only the full/MLA layers grow
        ctx = int((budget - sliding * cap) // per_token)
    if engine == "vllm":  # whole 16-token blocks
        ctx = ctx // VLLM_BLOCK_TOKENS * VLLM_BLOCK_TOKENS
    return min(ctx, L.MAX_CONTEXT) if ctx >= 1 else None


def link_bytes_per_s(gpu: dict) -> float:
    """The card-to-card link the all-reduces use: the catalog's interconnect, else PCIe 5.0 ×16."""
    return ((gpu.get("interconnect") or {}).get("gb_per_s") or DEFAULT_LINK_BYTES_PER_S / 1e9) * 1e9


def decode_speed(model, arch, gpu, w, kv, users, t, tp, pp, n_gpus, efficiency, peak_flops_per_s=None,
                 mfu=None, overhead_s=0.0) -> dict:
    """§19.7 on N cards, with the roofline — one step reads each card's share of the active weights and
    of every sequence's KV at an achieved share of bandwidth, or computes 2·N_active FLOPs per sequence
    at the MFU, whichever is slower (many concurrent sequences turn decode compute-bound); TP adds two
    all-reduces per layer; PP runs its stages one after another; every step adds the engine's fixed
    overhead (kernel launches, sampling, scheduling)."""
    active = model.get("n_params_active") or model["n_params"]
    active_share = active / model["n_params"]
    read_card = w["bytes"] * active_share / n_gpus + users * kv_card_bytes(kv, t)
    link = link_bytes_per_s(gpu)
    layers_card = (model.get("n_layers") or 1) / pp
    message = users * (model.get("d_model") or 4096) * 2
    collective = 2 * layers_card * S.ring_allreduce_seconds(message, tp, link, COLLECTIVE_LATENCY_S)
    memory = S.decode_step_seconds(read_card, gpu["hbm_gb_per_s"] * 1e9, efficiency, 0.0)
    compute = S.compute_seconds(2 * active * users / n_gpus, peak_flops_per_s, mfu) if peak_flops_per_s and mfu else 0.0
    stage = max(memory, compute) + collective
    overhead = c.nonneg(overhead_s, "decode_overhead_s", Q.MAX_DECODE_OVERHEAD_S)
    step = stage * pp + overhead
    return {"per_request": 1 / step, "total": users / step, "step_s": step, "bytes_read_per_card": read_card,
            "collective_s": collective * pp, "link_bytes_per_s": link, "active_share": active_share,
            "overhead_s": overhead, "bound": "compute" if compute > memory else "memory"}


def decode_curve(model, arch, gpu, w, kv, tp, pp, n_gpus, efficiency, peak_flops_per_s, mfu, points,
                 overhead_s=0.0) -> list:
    """decode_speed at many (users, context) points (the charts): the inputs are checked once by a
    decode_speed call at the first point, then the same arithmetic runs without re-checking them."""
    if not points:
        return []
    first = decode_speed(model, arch, gpu, w, kv, points[0][0], points[0][1], tp, pp, n_gpus, efficiency,
                         peak_flops_per_s, mfu, overhead_s)
    weights_card = w["bytes"] * first["active_share"] / n_gpus
    active = model.get("n_params_active") or model["n_params"]
    bandwidth_gb = gpu["hbm_gb_per_s"] * 1e9 / 1e9  # as decode_speed hands it to §19.7: the same float
    layers_card = (model.get("n_layers") or 1) / pp
    out = [first]
    for users, context in points[1:]:
        read = weights_card + users * kv_card_bytes(kv, context)
        memory = 1 / decode_rate(read, bandwidth_gb, efficiency)
        compute = 2 * active * users / n_gpus / (peak_flops_per_s * mfu) if peak_flops_per_s and mfu else 0.0
        collective = 0.0 if tp == 1 else 2 * layers_card * S.ring_allreduce_seconds(
            users * (model.get("d_model") or 4096) * 2, tp, first["link_bytes_per_s"], COLLECTIVE_LATENCY_S)
        step = (max(memory, compute) + collective) * pp + first["overhead_s"]
        out.append({"per_request": 1 / step, "total": users / step, "step_s": step})
    return out


def peak_flops(gpu: dict, weights: str, w: dict) -> tuple:
    """The tensor-core peak the prefill runs at: fp8 where both the weights and the card have it."""
    return Q.peak_flops(gpu, weights == "fp8" or "fp8" in w["rule"])


def time_to_first_token(model, gpu, weights, w, prompt, tp, pp, mfu, efficiency, overhead_s=0.0) -> dict:
    """The prefill's roofline, as decode's: 2·N_active·T + attention FLOPs at an MFU split over TP ranks,
    or reading the weights the prompt touches once at the achieved bandwidth (a short prompt of a large
    model is memory-bound), whichever is slower, plus TP's two all-reduces of T·d_model values per layer
    and the engine's fixed time per step. A mixture of experts: T tokens touch up to T × the active
    share of the expert weights (all of them, soon)."""
    active = model.get("n_params_active") or model["n_params"]
    heads, hd = model.get("n_attention_heads") or 32, model.get("d_head") or 128
    flops = S.prefill_flops(active, prompt, model.get("n_layers") or 1, heads * hd)
    peak, dtype = peak_flops(gpu, weights, w)
    compute = S.compute_seconds(flops, peak * tp, mfu)
    touched = min(1.0, active / model["n_params"] * prompt)
    read_card = w["bytes"] * touched / (tp * pp)  # each stage's share, stages one after another
    memory = pp * S.decode_step_seconds(read_card, gpu["hbm_gb_per_s"] * 1e9, efficiency, 0.0)
    collective = 2 * (model.get("n_layers") or 1) * S.ring_allreduce_seconds(
        prompt * (model.get("d_model") or 4096) * 2, tp, link_bytes_per_s(gpu), COLLECTIVE_LATENCY_S)
    overhead = c.nonneg(overhead_s, "decode_overhead_s", Q.MAX_DECODE_OVERHEAD_S)
    return {"seconds": max(compute, memory) + collective + overhead, "compute_s": compute, "memory_s": memory,
            "collective_s": collective, "overhead_s": overhead, "bound": "compute" if compute >= memory else "memory", "flops": flops,
            "weights_read_bytes_per_card": read_card, "prompt_tokens": prompt, "peak_flops_per_s": peak * tp,
            "peak_dtype": dtype, "mfu": mfu, "efficiency": efficiency}


def launch_command(engine, model, gpu, w, weights, kv_dtype, tp, pp, t, users, gpu_memory_utilization,
                   mem_fraction_static, max_model_len, n_gpu_layers, expert_parallel=False) -> str | None:
    """The command line that realises the plan (model id or a placeholder path)."""
    name = model.get("id") or "<your-model>"
    if engine == "vllm":
        parts = ["vllm serve", name, f"--tensor-parallel-size {tp}"]
        if pp > 1:
            parts.append(f"--pipeline-parallel-size {pp}")
        parts.append(f"--max-model-len {max_model_len or t}")
        parts.append(f"--gpu-memory-utilization {gpu_memory_utilization or DEFAULT_GPU_MEMORY_UTILIZATION:g}")
        if kv_dtype == "fp8":
            parts.append("--kv-cache-dtype fp8")
        if weights in ("fp8", "gptq-int4", "gptq-int8", "awq-int4"):
            parts.append(f"--quantization {weights.split('-')[0]}")
        parts.append(f"--max-num-seqs {max(users, 1)}")
        if expert_parallel:
            parts.append("--enable-expert-parallel")
        return " ".join(parts)
    if engine == "sglang":
        parts = ["python -m sglang.launch_server --model-path", name, f"--tp {tp}"]
        if pp > 1:
            parts.append(f"--pp-size {pp}")
        parts.append(f"--context-length {max_model_len or t}")
        if mem_fraction_static is not None:
            parts.append(f"--mem-fraction-static {mem_fraction_static:g}")
        if kv_dtype == "fp8":
            parts.append("--kv-cache-dtype fp8_e4m3")
        if weights in ("fp8", "gptq-int4", "awq-int4"):
            parts.append(f"--quantization {weights.split('-')[0]}")
        if expert_parallel:
            parts.append(f"--ep-size {tp}")
        return " ".join(parts)
    if engine == "llama.cpp":
        gguf = weights if weights in S.GGUF_BITS_PER_WEIGHT or weights in ("F16", "BF16", "F32") else "F16"
        parts = ["llama-server -m", f"{name.split('/')[-1]}-{gguf}.gguf", f"-c {S.llama_cpp_context(t * users)}",
                 f"-ngl {999 if n_gpu_layers is None else n_gpu_layers}", f"-np {users}"]
        if kv_dtype in ("q8_0", "q4_0"):
            parts.append(f"-ctk {kv_dtype} -ctv {kv_dtype} -fa on")
        if tp * pp > 1:
            parts.append("--tensor-split " + ",".join("1" for _ in range(tp * pp)))
        return " ".join(parts)
    return None


__all__ = ["ENGINES", "WEIGHT_FORMATS", "KV_DTYPES", "plan", "weights_as_shipped", "gpu_capacity"]
