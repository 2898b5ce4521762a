"""Compare mode: one recipe across several models, side by side, with the differences marked."""
from __future__ import annotations

import json

from . import catalog, validate
from .errors import InputError
from .figures import FIGURES
from .recipes import get_recipe, run_recipe

MIN_MODELS, MAX_MODELS = 2, 12
DEFAULT_MODELS = ("EleutherAI/pythia-1b", "meta-llama/Meta-Llama-3-8B", "Qwen/Qwen2.5-7B")
DEFAULT_RECIPE = "X-2"
SHARED_DEFAULTS = {"T_eval": 32768}  # one common target: each model at its own trained length always says yes


def compare_metadata() -> dict:
    """What the Compare view needs: how many models, which ones and which recipe to start with."""
    return {"min_models": MIN_MODELS, "max_models": MAX_MODELS, "default_models": list(DEFAULT_MODELS),
            "default_recipe": DEFAULT_RECIPE, "shared_defaults": dict(SHARED_DEFAULTS)}


def _with_shared_defaults(recipe, shared: dict) -> dict:
    """The common target context for every model, unless the caller gave one (under any spelling)."""
    out = dict(shared)
    for param in recipe.params:
        if param.name in SHARED_DEFAULTS and param.default is None and not any(k in shared for k in param.keys):
            out[param.name] = SHARED_DEFAULTS[param.name]
    return out


def _spec_params(spec, index):
    """A spec is a preset id, or a dict of inputs (optionally with label and model)."""
    field = f"specs[{index}]"
    if isinstance(spec, str):
        return catalog.preset_record(spec)["label"], {"model": spec}
    spec = dict(validate.mapping(field, spec))  # a copy: the caller's dict is never changed
    label = spec.pop("label", None)
    if label is None:
        label = spec.get("model") or None  # a config's label comes with its result (read once)
    return None if label is None else validate.text(f"{field}.label", str(label)), spec


def compare_models(specs, recipe_id=DEFAULT_RECIPE, shared_params=None) -> dict:
    """Run one recipe for every spec; rows keep their order, a bad spec becomes an error row."""
    recipe = get_recipe(recipe_id)
    shared = _with_shared_defaults(recipe, validate.mapping("shared_params", shared_params))
    if not isinstance(specs, (list, tuple)) or not specs:
        raise InputError("specs", "specs must be a non-empty list of model presets or input sets")
    if len(specs) > MAX_MODELS:
        raise InputError("specs", f"at most {MAX_MODELS} models can be compared; got {len(specs)}")
    rows = []
    for index, spec in enumerate(specs):
        label = None
        try:
            label, params = _spec_params(spec, index)
            result = run_recipe(recipe.id, summary=True, **{**params, **shared})
            label = label or result["inputs"].get("config") or f"model {index + 1}"
        except InputError as exc:
            rows.append({"label": label or f"model {index + 1}", "verdict": "ERROR", "level": "unknown", "reason": exc.message,
                         "error": exc.to_dict(), "figures": {}, "caveats": []})
            continue
        rows.append({"label": label, "verdict": result["verdict"], "level": result["level"],
                     "reason": result["reason"], "figures": result["figures"],
                     "caveats": [c["code"] for c in result["caveats"]]})
    errors = {row["error"]["field"] for row in rows if "error" in row}
    if len(errors) == 1 and all("error" in row for row in rows) and next(iter(errors)) in shared:
        field = next(iter(errors))  # a shared input is at fault: name it once, as a field error
        raise InputError(field, rows[0]["reason"])
    present = {name for row in rows for name in row["figures"]}
    columns = [name for name in FIGURES if name in present]  # the figures, in their canonical order
    units = {name: FIGURES[name][0] for name in columns}
    labels = {name: FIGURES[name][1] for name in columns}
    differs, conditions_differ = {}, {}
    for column in columns:
        values = {repr(row["figures"][column]["value"] if column in row["figures"] else None)
                  for row in rows if "error" not in row}
        differs[column] = len(values) > 1
        conditions = {json.dumps(row["figures"][column].get("at", {}), sort_keys=True)
                      for row in rows if column in row["figures"]}
        conditions_differ[column] = len(conditions) > 1  # e.g. X-5 picks a different GPU per model
    verdicts = {row["verdict"] for row in rows if "error" not in row}
    return {"recipe_id": recipe.id, "recipe_name": recipe.name, "shared_params": shared,
            "rows": rows, "columns": columns, "units": units, "labels": labels, "differs": differs,
            "conditions_differ": conditions_differ,
            "verdicts_differ": len(verdicts) > 1}
