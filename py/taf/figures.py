"""Canonical figure names: one name, one SI unit and one label per quantity, shared by every
result that reports it (recipes, the profile, compare rows). A result's `figures` map is
{name: {"value", "unit", "label", "step", "at"}}: `step` is the chain step that produced it and
`at` the conditions it holds under (GPU, context, precision …), so two results that report the
same figure under the same conditions report the same value (tests/test_one_number.py)."""
from __future__ import annotations

import math

# name: (unit, label). Units are SI base units or counts: bytes, s, tokens, tokens/s, USD, FLOPs.
FIGURES = {
    "weights_bytes": ("bytes", "Weights in memory"),
    "kv_bytes_per_token": ("bytes/token", "KV cache per token"),
    "kv_bytes": ("bytes", "KV cache per request"),
    "kv_bytes_total": ("bytes", "KV cache, all concurrent requests"),
    "memory_needed_bytes": ("bytes", "Memory needed (weights + KV)"),
    "memory_usable_bytes": ("bytes", "Usable GPU memory"),
    "memory_device_bytes": ("bytes", "Memory one card exposes"),
    "kv_pool_tokens": ("tokens", "KV pool (tokens the engine can cache)"),
    "time_to_first_token_s": ("s", "Time to first token"),
    "inter_token_latency_s": ("s", "Time between tokens, one request"),
    "decode_tokens_per_s": ("tokens/s", "Decode speed, one request"),
    "decode_tokens_per_s_total": ("tokens/s", "Decode speed, all concurrent requests"),
    "usd_per_million_tokens": ("USD/Mtok", "Self-hosted cost per million tokens"),
    "api_usd_per_million_tokens": ("USD/Mtok", "API price per million tokens (blended)"),
    "training_tokens": ("tokens", "Training tokens"),
    "training_flops": ("FLOPs", "Training compute"),
    "training_gpu_hours": ("GPU·h", "Training GPU-hours"),
    "training_s": ("s", "Training wall-clock time"),
    "training_usd": ("USD", "Training cost"),
    "training_memory_bytes": ("bytes", "Training memory (16·N)"),
    "finetune_trained_params": ("params", "Trained parameters (fine-tuning)"),
    "finetune_weights_bytes": ("bytes", "Weights per GPU (fine-tuning)"),
    "finetune_gradient_bytes": ("bytes", "Gradients per GPU"),
    "finetune_optimizer_bytes": ("bytes", "Optimizer states per GPU"),
    "finetune_activation_bytes": ("bytes", "Stored activations per GPU"),
    "finetune_logits_bytes": ("bytes", "Logits and loss per GPU"),
    "finetune_peak_memory_bytes": ("bytes", "Fine-tuning peak memory per GPU"),
    "finetune_fits": ("", "Fine-tuning fits the GPU"),
    "finetune_largest_seq_len_tokens": ("tokens", "Longest sequence that fits (fine-tuning)"),
    "finetune_flops_per_token": ("FLOPs/token", "FLOPs per trained token (fine-tuning)"),
    "finetune_tokens_per_s": ("tokens/s", "Fine-tuning speed, all GPUs"),
    "finetune_step_s": ("s", "Time of one step (one micro-batch per GPU)"),
    "finetune_s": ("s", "Fine-tuning wall-clock time"),
    "finetune_gpu_hours": ("GPU·h", "Fine-tuning GPU-hours"),
    "finetune_usd": ("USD", "Fine-tuning cost"),
    "budget_flops": ("FLOPs", "Training compute the budget buys"),
    "chinchilla_params": ("params", "Chinchilla-optimal parameters for the budget"),
    "break_even_tokens": ("tokens", "Break-even volume"),
    "payback_s": ("s", "Payback time"),
    "largest_context_tokens": ("tokens", "Largest context that fits"),
    "fits": ("", "Fits in memory"),
    "context_limited_by_memory": ("", "Largest context limited by memory"),
    "supported_context_tokens": ("tokens", "Context the model supports"),
    "theta_effective": ("", "Effective RoPE θ (scaled RoPE)"),
    "gamma_pade": ("", "γ_Padé (closed form)"),
    "gamma_corrected": ("", "γ with empirical corrections"),
    "gamma_used": ("", "γ used by the verdict"),
    "d_horizon_tokens": ("tokens", "Retrieval horizon d_horizon"),
    "niah_ceiling_tokens": ("tokens", "NIAH ceiling L_NIAH^c"),
    "p_hallucinate": ("", "P_hallucinate"),
    "chi_susceptibility": ("", "Susceptibility χ = 1/|γ − 1|"),
    "df_window_tokens": ("tokens", "D_f window"),
    "soft_decay_ratio": ("", "Soft-decay ratio r"),
    "gamma_random_predicted": ("", "γ_random predicted"),
    "compute_invariant_k": ("", "Compute-context invariant K"),
    "delta_gamma": ("", "Δγ = γ_text − γ_random"),
}

SECONDS_PER_HOUR = 3600.0
SECONDS_PER_MONTH = 30.4375 * 86400.0   # a mean Gregorian month


def figure(name: str, value, step=None, at=None) -> dict:
    """One entry of a `figures` map (the unit and label come from FIGURES, never the caller)."""
    unit, label = FIGURES[name]
    if isinstance(value, float) and not math.isfinite(value):
        value = None
    entry = {"value": value, "unit": unit, "label": label}
    if step is not None:
        entry["step"] = step
    if at:
        entry["at"] = at  # the caller's fresh dict (steps of one recipe may share it, read-only)
    return entry
