"""The seed module's public surface, kept working for code written against it — in one place.

Everything the seed exported, under its names and in its shapes: the formulas (from
`taf.formulas`), the three that took a catalog name (`cost_per_training_run`,
`cost_per_inference_token`, `api_blended_price`: here by name, returning the seed's error dict
for an unknown GPU), `GPU_CATALOG` / `API_PRICING` / `PRESETS` / `RECIPES` (fresh copies on
each access), `run_recipe_x1` … `run_recipe_x23` (the seed's positional order), `run_recipe`
(the seed's error dict for an unknown recipe), `list_recipes`, `list_presets`, `get_preset`,
`profile_model`, `compare_models` and `padé_deviation_index`.

Deviations, each required by a defect of the seed (../shared/reference/taf-spec-checklist.md):
invalid input raises `taf.InputError` instead of crashing; an unpriced GPU costs None, not $0;
recipes return the new result shape, which keeps every key the seed returned."""
from __future__ import annotations

from . import catalog
from . import formulas as F
from .compare import compare_models
from .errors import InputError
from .formulas import *  # noqa: F401,F403 — the seed's formula names
from .formulas import NU_IMPRINT, P_0_IMPRINT_M, padé_deviation_index  # noqa: F401
from .profile import profile_model  # noqa: F401
from .recipes import RECIPES as _RECIPES
from .recipes import list_recipes  # noqa: F401
from .recipes import run_recipe as _run_recipe

get_preset = catalog.get_preset
list_presets = catalog.list_presets

SEED_SIGNATURES = {  # the seed's positional order of each recipe function
    "X-1": ("N_params", "D_tokens", "gpu", "n_gpus", "mfu", "api_model", "monthly_tokens_M"),
    "X-2": ("theta", "T_train", "T_eval", "n_attention_heads", "n_kv_heads", "d_head", "n_layers",
            "n_params", "has_SWA", "bytes_per_element"),
    "X-3": ("USD_budget", "gpu", "mfu", "n_gpus"),
    "X-5": ("N_params", "T_eval", "n_layers", "n_kv_heads", "d_head", "bytes_per_weight",
            "target_tokens_per_day", "concurrent_users"),
    "X-19": ("theta", "T_train", "T_eval", "n_attention_heads", "n_kv_heads", "d_head", "n_layers",
             "n_params", "has_SWA"),
    "X-21": ("theta", "T_train", "n_attention_heads", "n_kv_heads", "d_head", "n_layers", "n_params",
             "T_eval", "gamma_random_obs"),
    "X-22": ("theta", "T_train", "n_params", "gamma_obs", "D_tokens", "T_eval"),
    "X-23": ("n_params", "gamma_text", "gamma_random"),
}


def _unknown_gpu(gpu):
    if not isinstance(gpu, str) or gpu not in catalog.gpu_names():
        return {"error": f"unknown gpu '{gpu}'", "available": catalog.gpu_names()}
    return None


def cost_per_training_run(N_params, D_tokens, gpu="H100 SXM", n_gpus=8, mfu=0.45, gpu_usd_per_hour=None) -> dict:
    """§20.11 — the seed's call: the GPU by catalog name (unknown → the seed's error dict)."""
    return _unknown_gpu(gpu) or F.cost_per_training_run(N_params, D_tokens, catalog.gpu(gpu), n_gpus, mfu,
                                                        gpu_usd_per_hour)


def cost_for_flops(total_flops, gpu="H100 SXM", n_gpus=8, mfu=0.45, gpu_usd_per_hour=None) -> dict:
    """§20.11 — training cost of a FLOP count, the GPU by catalog name."""
    return _unknown_gpu(gpu) or F.cost_for_flops(total_flops, catalog.gpu(gpu), n_gpus, mfu, gpu_usd_per_hour)


def cost_per_inference_token(model_GB, gpu, batch=1, gpu_usd_per_hour=None) -> dict:
    """§19.9 / §20.12 — the seed's call: the GPU by catalog name (unknown → the seed's error dict)."""
    unknown = _unknown_gpu(gpu)
    return {"error": unknown["error"]} if unknown else \
        F.cost_per_inference_token(model_GB, catalog.gpu(gpu), batch, gpu_usd_per_hour)


def api_blended_price(api_model="GPT-4o", input_share=0.5) -> float:
    """§24.1 — the seed's call: the API by catalog name."""
    return F.api_blended_price(catalog.api(api_model), input_share)


def run_recipe(recipe_id, **params) -> dict:
    """The seed's dispatcher: an unknown recipe id gives the seed's error dict."""
    if not isinstance(recipe_id, str) or recipe_id not in _RECIPES:
        return {"error": f"unknown recipe '{recipe_id}'", "available": list(_RECIPES)}
    return _run_recipe(recipe_id, **params)


def _seed_recipe(recipe_id):
    names = SEED_SIGNATURES[recipe_id]

    def run(*args, **params):
        if len(args) > len(names):
            raise InputError(None, f"{recipe_id} takes at most {len(names)} positional arguments")
        for name, value in zip(names, args):
            if name in params:
                raise InputError(name, f"{name} given twice")
            params[name] = value
        return _run_recipe(recipe_id, **params)

    run.__name__ = "run_recipe_" + recipe_id.lower().replace("-", "")
    run.__doc__ = f"The seed's {recipe_id} entry point: run_recipe({recipe_id!r}, ...) with the seed's argument order."
    return run


run_recipe_x1 = _seed_recipe("X-1")
run_recipe_x2 = _seed_recipe("X-2")
run_recipe_x3 = _seed_recipe("X-3")
run_recipe_x5 = _seed_recipe("X-5")
run_recipe_x19 = _seed_recipe("X-19")
run_recipe_x21 = _seed_recipe("X-21")
run_recipe_x22 = _seed_recipe("X-22")
run_recipe_x23 = _seed_recipe("X-23")


def _gpu_catalog() -> dict:
    """The seed's GPU_CATALOG shape: name -> {flops, vram_GB, bw_GB_s, usd_h, tdp} (usd_h 0.0 = no price)."""
    return {g["name"]: {"flops": g["bf16_tflops"], "vram_GB": g["vram_gb"],
                        "bw_GB_s": g["hbm_gb_per_s"], "usd_h": g["usd_per_hour"] or 0.0,
                        "tdp": g["tdp_w"], "priced": g["usd_per_hour"] is not None}
            for g in catalog.list_gpus()}


def _api_pricing() -> dict:
    """The seed's API_PRICING shape: name -> {input, output} in USD per million tokens."""
    return {a["name"]: {"input": a["input_usd_per_mtok"], "output": a["output_usd_per_mtok"]}
            for a in catalog.list_apis()}


def _recipes() -> dict:
    """The seed's RECIPES shape: id -> {name, description, fn, params, category, uses_sections}."""
    fns = {rid: globals()["run_recipe_" + rid.lower().replace("-", "")] for rid in SEED_SIGNATURES}
    return {rid: {"name": r.name, "description": r.description, "fn": fns.get(rid),
                  "params": [p.name for p in r.params], "category": r.category,
                  "uses_sections": list(r.uses_sections)} for rid, r in _RECIPES.items()}


_TABLES = {"GPU_CATALOG": _gpu_catalog, "API_PRICING": _api_pricing, "RECIPES": _recipes,
           "PRESETS": lambda: {m: catalog.get_preset(m) for m in catalog.preset_ids()}}


def __getattr__(name):
    """GPU_CATALOG, API_PRICING, RECIPES and PRESETS: a fresh copy on each access."""
    if name in _TABLES:
        return _TABLES[name]()
    raise AttributeError(f"module 'taf.seed' has no attribute {name!r}")


__all__ = [*F.__all__, "padé_deviation_index", "NU_IMPRINT", "P_0_IMPRINT_M", "cost_for_flops", "run_recipe", "list_recipes",
           "list_presets", "get_preset", "profile_model", "compare_models", "GPU_CATALOG", "API_PRICING",
           "PRESETS", "RECIPES", *(f"run_recipe_{rid.lower().replace('-', '')}" for rid in SEED_SIGNATURES)]
