"""Serving engines' own rules — how vLLM, SGLang, llama.cpp and transformers turn a GPU's memory into
weights, reserves and a KV pool, and what multi-GPU splitting and quantised weight formats cost.
Pure functions of numbers; each cites the engine source (or the published file) it follows.
Estimates (activation peaks, driver context, collective latency) say so in their docstrings; the
measured-accuracy work calibrates them."""
from __future__ import annotations

from . import _check as c
from .memory import decode_tokens_per_s

GIB = 2 ** 30
MIB = 2 ** 20

# ---- weights as shipped -------------------------------------------------------------------------------

# GGUF file sizes llama.cpp's quantize tool lists for Llama-3-8B (8,030,261,248 parameters), in GiB
# (tools/quantize/quantize.cpp, QUANT_OPTIONS, e.g. { "Q4_K_M", …, " 4.58G, +0.1754 ppl @ Llama-3-8B" }):
# the average bits per weight over a whole file, embeddings and output layer included.
_LLAMA3_8B_PARAMS = 8_030_261_248
GGUF_FILE_GIB_LLAMA3_8B = {"Q8_0": 7.96, "Q6_K": 6.14, "Q5_K_M": 5.33, "Q5_0": 5.21, "Q4_K_M": 4.58,
                           "Q4_K_S": 4.37, "Q4_0": 4.34, "Q3_K_L": 4.03, "Q3_K_M": 3.74, "Q3_K_S": 3.41}
GGUF_BITS_PER_WEIGHT = {name: round(gib * GIB * 8 / _LLAMA3_8B_PARAMS, 3)
                        for name, gib in GGUF_FILE_GIB_LLAMA3_8B.items()}
# Types quantize.cpp gives only as bits per weight on the quantised tensors, or for another model:
GGUF_BITS_PER_WEIGHT.update({
    "IQ4_XS": 4.25,   # " 4.25 bpw non-linear quantization"
    "IQ4_NL": 4.50,   # " 4.50 bpw non-linear quantization"
    "Q2_K": round(2.63 * GIB * 8 / 6_738_415_616, 3),  # " 2.63G, +0.6717 ppl @ LLaMA-v1-7B"
})
GGUF_SOURCE = "llama.cpp tools/quantize/quantize.cpp QUANT_OPTIONS (file size of Llama-3-8B per type)"

# llama.cpp KV-cache types (ggml block layouts: q8_0 = 32 int8 + one fp16 scale = 34 B per 32
# values; q4_0 = 16 B of nibbles + one fp16 scale = 18 B per 32): bytes per element.
LLAMA_CPP_KV_BYTES = {"f16": 2.0, "bf16": 2.0, "q8_0": 34 / 32, "q4_0": 18 / 32, "f32": 4.0}


def group_quant_bits_per_weight(bits, group_size, scale_bits=16, zero_bits=None) -> float:
    """GPTQ / AWQ packing — bits per weight of a quantised linear layer: the packed weights, plus one
    fp16 scale and one packed zero point per group (AutoGPTQ / AutoAWQ qweight, scales, qzeros)."""
    b = c.positive(bits, "bits", 64)
    g = c.count(group_size, "group_size", 10**6)
    zero = b if zero_bits is None else c.nonneg(zero_bits, "zero_bits", 64)
    return b + (c.nonneg(scale_bits, "scale_bits", 64) + zero) / g


# ---- capacity ------------------------------------------------------------------------------------------

# The CUDA context, cuBLAS workspaces and the driver's own allocations before any tensor: "a few
# hundred MiB to ~1 GiB" (serving-engines reference); an estimate, not a measurement of your card.
DRIVER_CONTEXT_BYTES = 512 * MIB


# ---- multi-GPU ----------------------------------------------------------------------------------------

def kv_heads_per_card(n_kv_heads, tensor_parallel) -> int:
    """vLLM / SGLang tensor parallel — KV heads each card caches: n_kv ÷ TP, at least one (when
    n_kv < TP the heads are replicated: vLLM ModelConfig.get_num_kv_heads = max(1, n_kv // TP))."""
    kv = c.count(n_kv_heads, "n_kv_heads", c.L.MAX_HEADS)
    tp = c.count(tensor_parallel, "tensor_parallel", c.L.MAX_GPUS)
    return max(1, kv // tp)


def ring_allreduce_seconds(message_bytes, n_ranks, link_bytes_per_s, latency_s) -> float:
    """Ring all-reduce — α + 2·(n−1)/n · bytes ÷ link bandwidth (NCCL's algorithm bandwidth model);
    zero on one rank."""
    n = c.count(n_ranks, "tensor_parallel", c.L.MAX_GPUS)
    if n == 1:
        return 0.0
    return c.nonneg(latency_s, "latency_s", 1.0) + 2 * (n - 1) / n * c.nonneg(message_bytes, "message_bytes", 1e15) / \
        c.positive(link_bytes_per_s, "link_bytes_per_s", 1e15)


# ---- engine memory rules -------------------------------------------------------------------------------

def block_rounded_tokens(pool_bytes, bytes_per_token, block_tokens) -> int:
    """vLLM paged KV — tokens the pool holds: whole blocks of `block_tokens` (16 by default):
    ⌊pool ÷ (block · bytes per token)⌋ · block (vllm/v1/core/kv_cache_utils.py)."""
    pool = c.nonneg(pool_bytes, "kv_pool_bytes", 1e16)
    per_token = c.positive(bytes_per_token, "kv_bytes_per_token", 1e12)
    block = c.count(block_tokens, "block_size", 4096)
    return int(pool // (per_token * block)) * block


def vllm_default_batched_tokens(device_bytes, is_a100: bool) -> dict:
    """vLLM V1 scheduler defaults (vllm/engine/arg_utils.py): ≥ 70 GiB and not an A100 →
    max_num_batched_tokens 8,192 for the API server (16,384 offline), max_num_seqs 1,024; else
    2,048 (8,192 offline) and 256."""
    big = c.positive(device_bytes, "memory_bytes", 1e15) >= 70 * GIB and not is_a100
    return {"max_num_batched_tokens": 8192 if big else 2048, "max_num_seqs": 1024 if big else 256}


def vllm_activation_peak_bytes(batched_tokens, d_model, d_ff_per_card, vocab_size, max_num_seqs,
                               activation_bytes=2.0) -> float:
    """vLLM's profiling forward pass (gpu_worker.determine_available_memory) — an estimate of its
    peak: the widest MLP activations of max_num_batched_tokens tokens (gate+up, the activation
    and the residual stream: (3·d_ff/TP + 4·d)·bytes per token) plus the sampler's float32 logits
    for max_num_seqs sequences (logits, probabilities, sorted copy: 3·seqs·vocab·4 B)."""
    t = c.count(batched_tokens, "max_num_batched_tokens", c.L.MAX_CONTEXT)
    per_token = (3 * c.positive(d_ff_per_card, "intermediate_size", 1e8) + 4 * c.positive(d_model, "d_model", 1e7)) * \
        c.positive(activation_bytes, "activation_bytes", 8)
    sampler = 3 * c.count(max_num_seqs, "max_num_seqs", 10**6) * c.count(vocab_size, "vocab_size", 10**8) * 4
    return t * per_token + sampler


def sglang_default_mem_fraction_static(device_bytes, tensor_parallel, pipeline_parallel=1) -> dict:
    """SGLang's default mem_fraction_static (python/sglang/srt/server_args.py,
    _handle_gpu_memory_settings, PR #10975): reserve (MiB) = 512 + max(chunked_prefill, 2048)·1.5 +
    cuda_graph_max_bs·2 + TP·PP/8·1024, at least 10 GiB above 60 GiB; fraction = (mem − reserve) ÷ mem,
    with chunked_prefill and cuda_graph_max_bs chosen by the card's memory."""
    mem = c.positive(device_bytes, "memory_bytes", 1e15) / MIB
    tp = c.count(tensor_parallel, "tensor_parallel", c.L.MAX_GPUS)
    pp = c.count(pipeline_parallel, "pipeline_parallel", c.L.MAX_GPUS)
    if mem < 20 * 1024:
        chunk, graphs = 2048, 8
    elif mem < 35 * 1024:
        chunk, graphs = 2048, (24 if tp < 4 else 80)
    elif mem < 60 * 1024:
        chunk, graphs = 4096, (32 if tp < 4 else 160)
    elif mem < 160 * 1024:
        chunk, graphs = 8192, (256 if tp < 4 else 512)
    else:
        chunk, graphs = 16384, 512
    reserve = 512 + max(chunk, 2048) * 1.5 + graphs * 2 + tp * pp / 8 * 1024
    if mem > 60 * 1024:
        reserve = max(reserve, 10 * 1024)
    return {"mem_fraction_static": round((mem - reserve) / mem, 3), "chunked_prefill_size": chunk,
            "cuda_graph_max_bs": graphs, "reserve_bytes": reserve * MIB}


def llama_cpp_context(n_ctx, pad=256) -> int:
    """llama.cpp rounds the context it allocates up to a multiple of the KV-cache padding (256)."""
    n = c.count(n_ctx, "context", c.L.MAX_CONTEXT)
    return -(-n // pad) * pad


def llama_cpp_compute_buffer_bytes(n_ubatch, n_ctx, vocab_size, n_heads_per_card, d_model, d_ff_per_card,
                                   flash_attention: bool) -> float:
    """llama.cpp's compute buffer (ggml graph reserved for the worst-case ubatch in llama-context.cpp) —
    an estimate: the larger of the ubatch's float32 logits (n_ubatch·vocab·4 B) and, without flash
    attention, its attention scores (n_ubatch·n_ctx·heads·4 B), plus the ubatch's activations
    ((2·d_ff + 4·d)·4 B per token)."""
    u = c.count(n_ubatch, "n_ubatch", 1 << 20)
    logits = u * c.count(vocab_size, "vocab_size", 10**8) * 4
    scores = 0 if flash_attention else \
        u * c.count(n_ctx, "context", c.L.MAX_CONTEXT) * c.count(n_heads_per_card, "n_attention_heads", c.L.MAX_HEADS) * 4
    activations = u * (2 * c.positive(d_ff_per_card, "intermediate_size", 1e8) + 4 * c.positive(d_model, "d_model", 1e7)) * 4
    return max(logits, scores) + activations


# ---- speed ---------------------------------------------------------------------------------------------

def decode_step_seconds(bytes_read_per_card, hbm_bytes_per_s, bandwidth_efficiency, collective_s=0.0,
                        overhead_s=0.0) -> float:
    """§19.7 per decode step — every card reads its share of the active weights and of every
    sequence's KV cache at an achieved share of its bandwidth, then the cards synchronise."""
    tokens_per_s = decode_tokens_per_s(bytes_read_per_card, 0.0, c.positive(hbm_bytes_per_s, "hbm_bytes_per_s", 1e15) / 1e9,
                                       bandwidth_efficiency)
    return c.nonneg(overhead_s, "overhead_s", 1.0) + c.nonneg(collective_s, "collective_s", 1e3) + 1 / tokens_per_s


def prefill_flops(n_params_active, prompt_tokens, n_layers, d_attention) -> float:
    """Prefill (§17.10 at inference) — 2·N_active FLOPs per token, plus causal attention
    2·layers·T²·d_attn (QKᵀ and AV over half the T×T square, 2 FLOPs per multiply-add)."""
    t = c.count(prompt_tokens, "prompt_tokens", c.L.MAX_CONTEXT)
    return 2 * c.params(n_params_active, "n_params_active") * t + \
        2 * c.count(n_layers, "n_layers", c.L.MAX_LAYERS) * t * t * c.nonneg(d_attention, "d_attention", 1e8)


def compute_seconds(flops, peak_flops_per_s, mfu) -> float:
    """Time for compute-bound work: FLOPs ÷ (peak FLOP/s · MFU)."""
    return c.nonneg(flops, "flops", 1e30) / (c.positive(peak_flops_per_s, "peak_flops_per_s", 1e20) * c.fraction(mfu, "mfu"))


__all__ = ["GIB", "MIB", "GGUF_BITS_PER_WEIGHT", "LLAMA_CPP_KV_BYTES", "group_quant_bits_per_weight",
           "kv_heads_per_card", "ring_allreduce_seconds", "block_rounded_tokens", "vllm_default_batched_tokens",
           "vllm_activation_peak_bytes", "sglang_default_mem_fraction_static", "llama_cpp_context",
           "llama_cpp_compute_buffer_bytes", "decode_step_seconds", "prefill_flops", "compute_seconds"]
