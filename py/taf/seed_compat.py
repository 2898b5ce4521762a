"""The seed module's recipe-level names, kept working for code written against it.

`run_recipe_x2(theta, T_train, T_eval, ...)` and friends take the seed's arguments (by position
or by name) and return the new result shape, which keeps every key the seed returned.
`PRESETS` is a fresh copy of the preset table on each access; `list_recipes()` and
`list_presets()` return lists here (the JSON boundary serialises them)."""
from __future__ import annotations

from . import catalog
from .errors import InputError
from .recipes import run_recipe

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


def _seed_recipe(recipe_id):
    names = SEED_SIGNATURES[recipe_id]

    def run(*args, **params):
        if len(args) > len(names):
            raise InputError(None, f"{recipe_id} takes at most {len(names)} positional arguments")
        for name, value in zip(names, args):
            if name in params:
                raise InputError(name, f"{name} given twice")
            params[name] = value
        return run_recipe(recipe_id, **params)

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


def __getattr__(name):
    if name == "PRESETS":
        return {p["id"]: catalog.get_preset(p["id"]) for p in catalog.list_presets()}
    raise AttributeError(name)
