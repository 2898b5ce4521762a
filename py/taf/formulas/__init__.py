"""Every TAF formula, grouped by paper section, under the seed's public names.

Code written against the seed module keeps working: the same function names, argument names
and return shapes (ASCII `pade_deviation_index` for `padé_deviation_index`, both exported).
Deviations, each required by a defect of the seed: invalid input raises `taf.InputError`
instead of crashing or returning an error dict; an unpriced GPU costs None, not $0.
"""
from .pretraining import (chinchilla_optimal_tokens, chinchilla_optimal_N, training_flops,
                          chinchilla_n_for_flops, training_memory_16N, emergent_threshold)
from .inference import (kv_cache_bytes, kv_cache_memory, model_weights_memory,
                        inference_decode_throughput)
from .hardware import (cost_per_training_run, cost_for_flops, cost_per_inference_token, resolve_gpu_price,
                       training_seconds)
from .economics import api_blended_price, break_even_volume
from .memory import (kv_layer_counts, kv_cache_bytes_arch, kv_bytes_per_token, weight_bytes,
                     decode_tokens_per_s, training_flops_per_token, largest_fitting_context,
                     KV_DTYPE_BYTES, WEIGHT_BITS)
from .gamma import (gamma_pade, gamma_decompose, d_horizon, l_niah_c, chi_susceptibility,
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
    "chinchilla_optimal_tokens", "chinchilla_optimal_N", "training_flops", "chinchilla_n_for_flops",
    "training_memory_16N", "emergent_threshold", "kv_cache_bytes", "kv_cache_memory",
    "model_weights_memory", "inference_decode_throughput", "cost_per_training_run",
    "cost_per_inference_token", "api_blended_price", "break_even_volume", "gamma_pade",
    "gamma_decompose", "d_horizon", "l_niah_c", "chi_susceptibility", "p_hallucinate",
    "theta_design", "alpha_opt", "df_window", "df_window_continuous", "power_partial_sum",
    "kv_soft_decay_regime", "soft_decay_ratio", "gamma_random_predict", "imprint_purity",
    "gamma_decompose_v2", "compute_invariant_K", "ih_phase_check", "famous_constant_proximity",
    "nearest_famous_constant", "hagedorn_safety_alert", "bimodal_phase_class", "gamma_zone",
    "architectural_concentration_predict", "pade_deviation_index", "precision_shift_predict_4bit",
    "critical_exponents_bundle", "verify_algebraic_consistency", "kv_layer_counts",
    "kv_cache_bytes_arch", "kv_bytes_per_token", "weight_bytes", "decode_tokens_per_s",
    "training_flops_per_token", "cost_for_flops",
]


SEED_RECIPE_NAMES = ("run_recipe_x1", "run_recipe_x2", "run_recipe_x3", "run_recipe_x5", "run_recipe_x19",
                     "run_recipe_x21", "run_recipe_x22", "run_recipe_x23", "run_recipe", "list_recipes",
                     "list_presets", "get_preset", "profile_model", "compare_models", "PRESETS", "RECIPES")


def __getattr__(name):
    """The seed's other public names, so `from taf.formulas import *`-style code keeps working:
    GPU_CATALOG and API_PRICING (fresh dicts from presets/), the recipe functions, PRESETS."""
    from .. import catalog
    if name == "GPU_CATALOG":
        return catalog.seed_gpu_catalog()
    if name == "API_PRICING":
        return catalog.seed_api_pricing()
    if name in SEED_RECIPE_NAMES:
        from .. import compare, profile, recipes, seed_compat
        for module in (seed_compat, recipes, profile, compare, catalog):
            if hasattr(module, name):
                return getattr(module, name)
    raise AttributeError(f"module 'taf.formulas' has no attribute {name!r}")
