"""Every TAF formula, grouped by paper section, under the seed's formula names. The lowest layer:
pure functions of numbers (and of a GPU or price *record* where the seed took a catalog name),
importing nothing above `taf.validate` (tests/test_layers.py).

The seed's whole public surface — catalog names, GPU_CATALOG, PRESETS, the recipe functions,
its error dicts — is `taf.seed`. Invalid input raises `taf.InputError`; an unpriced GPU costs
None, not $0. `padé_deviation_index` is the seed's accented name of `pade_deviation_index`.
"""
from .pretraining import (chinchilla_optimal_tokens, chinchilla_optimal_N, training_flops,
                          chinchilla_n_for_flops, training_memory_16N, emergent_threshold)
from .inference import (kv_cache_bytes, kv_cache_memory, model_weights_memory,
                        inference_decode_throughput)
from .hardware import (cost_per_training_run, cost_for_flops, cost_per_inference_token, resolve_gpu_price,
                       training_seconds)
from .economics import api_blended_price, break_even_volume
from .memory import (kv_layer_counts, kv_cache_bytes_arch, kv_cache_bytes_curve, kv_bytes_per_token, weight_bytes,
                     decode_tokens_per_s, training_flops_per_token, largest_fitting_context,
                     KV_DTYPE_BYTES, WEIGHT_BITS)
from .context import supported_context, effective_theta
from .finetune import (layer_linear_shapes, layer_linear_params, lora_params, base_weight_bytes, trained_state_bytes,
                       activation_elements_per_token_layer, activation_bytes, logits_bytes,
                       flops_per_token as finetune_flops_per_token)
from .gamma import (gamma_pade, gamma_pade_curve, gamma_decompose, d_horizon, l_niah_c, chi_susceptibility,
                    p_hallucinate, theta_design, alpha_opt, df_window, df_window_continuous,
                    power_partial_sum, kv_soft_decay_regime, soft_decay_ratio, regime_from_ratio)
from .imprint import (NU_IMPRINT, P_0_IMPRINT_M, gamma_random_predict, imprint_purity,
                      imprint_shift, gamma_decompose_v2, compute_invariant_K, ih_phase_check)
from .diagnostics import (famous_constant_proximity, nearest_famous_constant,
                          hagedorn_safety_alert, bimodal_phase_class, gamma_zone,
                          architectural_concentration_predict, pade_deviation_index,
                          precision_shift_predict_4bit, critical_exponents_bundle,
                          verify_algebraic_consistency)

padé_deviation_index = pade_deviation_index  # the seed's accented name

__all__ = [
    "layer_linear_shapes", "layer_linear_params", "lora_params", "base_weight_bytes", "trained_state_bytes",
    "activation_elements_per_token_layer", "activation_bytes", "logits_bytes", "finetune_flops_per_token",
    "chinchilla_optimal_tokens", "chinchilla_optimal_N", "training_flops", "chinchilla_n_for_flops",
    "training_memory_16N", "emergent_threshold", "kv_cache_bytes", "kv_cache_memory",
    "model_weights_memory", "inference_decode_throughput", "cost_per_training_run",
    "cost_per_inference_token", "api_blended_price", "break_even_volume", "gamma_pade",
    "gamma_pade_curve",
    "gamma_decompose", "d_horizon", "l_niah_c", "chi_susceptibility", "p_hallucinate",
    "theta_design", "alpha_opt", "df_window", "df_window_continuous", "power_partial_sum",
    "kv_soft_decay_regime", "soft_decay_ratio", "gamma_random_predict", "imprint_purity",
    "gamma_decompose_v2", "compute_invariant_K", "ih_phase_check", "famous_constant_proximity",
    "nearest_famous_constant", "hagedorn_safety_alert", "bimodal_phase_class", "gamma_zone",
    "architectural_concentration_predict", "pade_deviation_index", "precision_shift_predict_4bit",
    "critical_exponents_bundle", "verify_algebraic_consistency", "kv_layer_counts",
    "kv_cache_bytes_arch", "kv_cache_bytes_curve", "kv_bytes_per_token", "weight_bytes", "decode_tokens_per_s",
    "training_flops_per_token", "cost_for_flops", "supported_context", "effective_theta",
]

