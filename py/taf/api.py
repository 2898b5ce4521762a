"""The JSON boundary: one function the browser (and anything else) calls.

Request  {"call": "<public function>", "args": {...}}
Response {"ok": true, "result": ..., "caveats": [...]}
      or {"ok": false, "error": {"type": "input" | "internal", "field": ..., "message": ...}}

The response is always strict JSON: a non-finite number (χ at γ = 1, say) becomes null, and a
caveat names where. Input errors carry the field at fault; nothing else reaches the caller
but a one-line "internal" message (never a traceback).
"""
from __future__ import annotations

import inspect
import json
import math

from . import axes, catalog, formulas, rsrc, seed, validate
from .compare import DEFAULT_MODELS as COMPARE_DEFAULT_MODELS
from .compare import DEFAULT_RECIPE, compare_metadata, compare_models
from .config_import import MAX_CONFIG_CHARS, hub_config_url, import_config
from .diagnose import diagnostics_metadata, gamma_diagnostics, gamma_zones
from .errors import InputError
from .accuracy import accuracy_report
from .glossary import glossary
from .levels import LEVELS
from .params import GROUPS as PARAM_GROUPS
from .profile import profile_metadata, profile_model
from .recipes import get_recipe, list_recipes, run_recipe
from .recipes.base import ARCH_FIELDS
from .report import render_markdown, render_text

MAX_REQUEST_CHARS = 80_000_000  # the largest request: a 50 MB leaderboard upload as base64


def list_levels() -> dict:
    return LEVELS


GPU_SUMMARY = ("name", "vram_gb", "memory_bytes", "memory_kind", "hbm_gb_per_s", "bf16_tflops", "usd_per_hour")


def app_metadata() -> dict:
    """Everything the UI needs to build its forms and menus, in one call."""
    return {"recipes": list_recipes(), "profile": profile_metadata(), "presets": catalog.list_presets(),
            "gpus": [{k: g.get(k) for k in GPU_SUMMARY} for g in catalog.each_gpu()], "apis": catalog.list_apis(), "levels": LEVELS,
            "diagnostics": diagnostics_metadata(), "rsrc": rsrc.rsrc_parameters(),
            "compare": compare_metadata(), "default_recipe": DEFAULT_RECIPE, "arch_fields": list(ARCH_FIELDS),
            "glossary": glossary(), "config_import": {"max_bytes": MAX_CONFIG_CHARS},
            "param_groups": list(PARAM_GROUPS)}


MAX_SWEEP_POINTS = 256


def sweep(recipe_id, sweep, sweep_from, sweep_to, points=64, inputs=None) -> dict:
    """One recipe across a range of one numeric input, in one call: the headline figures (every
    number figure that changes across the range) and the verdict at each point. The engine reads
    the range like the input itself (32k, 1M, 80GB), spaces the points (log2 for a context, log10
    across a wide range, else linear; whole numbers rounded and repeats dropped) and gives the axes.
    A point the recipe refuses (a cross-field check) carries its error instead of figures."""
    recipe = get_recipe(recipe_id)
    inputs = dict(validate.mapping("inputs", inputs))
    numeric = [p for p in recipe.params if p.type in ("number", "integer")]
    param = next((p for p in numeric if sweep in p.keys), None)
    if param is None:
        raise InputError("sweep", f"{recipe.id} has no numeric input {sweep!r}; sweep one of: "
                         f"{', '.join(p.name for p in numeric)}")
    lo, hi = param.check(sweep_from), param.check(sweep_to)
    if lo is None or hi is None:
        raise InputError("sweep_from", "give the range to sweep: sweep_from and sweep_to")
    if hi < lo:
        lo, hi = hi, lo
    count = validate.integer("points", points, lo=2, hi=MAX_SWEEP_POINTS)
    scale = axes.spacing(lo, hi, param.binary)
    xs = axes.points(lo, hi, count, scale, param.type == "integer")
    for key in (*param.keys, "recipe_id"):
        inputs.pop(key, None)
    rows, names, labels = [], [], {}
    for x in xs:
        try:
            result = run_recipe(recipe.id, **inputs, **{param.name: x})
        except InputError as exc:
            if exc.field not in param.keys and exc.field not in ("context", "T_eval"):
                raise  # a bad input other than the swept one is the caller's to fix first
            rows.append({"x": x, "error": exc.message})
            continue
        values = {}
        for name, f in result["figures"].items():
            if isinstance(f["value"], (int, float)) and not isinstance(f["value"], bool) and math.isfinite(f["value"]):
                values[name] = f["value"]
                if name not in labels:
                    names.append(name)
                    labels[name] = {"label": f["label"], "unit": f["unit"]}
        rows.append({"x": x, "verdict": result["verdict"], "level": result["level"], "figures": values})
    good = [r for r in rows if "figures" in r]
    headline = [n for n in names if len({r["figures"].get(n) for r in good}) > 1]
    series = {}
    for name in headline:
        ys = [r["figures"][name] for r in good if name in r["figures"]]
        series[name] = {**labels[name], "axis": axes.axis_for(ys, labels[name]["unit"], "linear")}
    return {"recipe_id": recipe.id, "input": param.name, "unit": param.unit, "spacing": scale,
            "x_axis": axes.axis_for(xs, param.unit, scale), "points": rows, "series": series,
            "headline": headline, "default": headline[0] if headline else None,
            "labels": {"x": f"{param.name}" + (f" ({param.unit})" if param.unit else "")}}


CALLS = {fn.__name__: fn for fn in (
    run_recipe, sweep, profile_model, compare_models, list_recipes, profile_metadata, app_metadata,
    catalog.list_presets, catalog.search_models, catalog.get_preset, catalog.list_gpus, catalog.list_apis, list_levels,
    render_markdown, render_text, gamma_diagnostics, gamma_zones, diagnostics_metadata, import_config, hub_config_url,
    glossary, accuracy_report)}
CALLS.update({name: getattr(seed, name) for name in formulas.__all__})  # the seed's calls (GPU by name)
CALLS.update({fn.__name__: fn for fn in (rsrc.rsrc_bundled, rsrc.rsrc_score_csv, rsrc.rsrc_parameters,
                                         rsrc.rsrc_csv_export, rsrc.rsrc_score_upload, rsrc.rsrc_csv_template, rsrc.rsrc_rows)})


def sanitize(value, path="result", replaced=None):
    """A JSON-safe copy: non-finite floats → None (path recorded), tuples → lists, keys → str."""
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        replaced.append(path)
        return None
    if isinstance(value, dict):
        return {str(k): sanitize(v, f"{path}.{k}", replaced) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [sanitize(v, f"{path}[{i}]", replaced) for i, v in enumerate(value)]
    if value is None or isinstance(value, (str, int, bool)):
        return value
    return str(value)


def _parse(request) -> tuple:
    message = validate.json_object("request", request, max_len=MAX_REQUEST_CHARS, what="request")
    call = message.get("call")
    if not isinstance(call, str) or call not in CALLS:
        raise InputError("call", f"unknown call {call!r}; known: {', '.join(sorted(CALLS))}")
    args = message.get("args", {})
    if args is None:
        args = {}
    if not isinstance(args, dict):
        raise InputError("args", "args must be an object of name: value pairs")
    return CALLS[call], args


def _bind(fn, args):
    try:
        inspect.signature(fn).bind(**args)
    except TypeError as exc:
        text = str(exc)
        missing = text.split("'")[1] if "'" in text else None
        raise InputError(missing, f"{fn.__name__}: {text}") from None


def dispatch(request: str):
    """Run a request; returns (result as strict JSON text, caveats) or raises InputError."""
    fn, args = _parse(request)
    _bind(fn, args)
    result = fn(**args)
    try:  # most results are strict JSON already: encoded once, at C speed
        return _strict_json(result), []
    except (TypeError, ValueError):
        pass
    replaced = []
    clean = sanitize(result, "result", replaced)
    caveats = [{"code": "unbounded_value", "path": path,
                "text": f"{path} is unbounded (infinite or undefined) and is shown as null"}
               for path in replaced]
    if caveats and isinstance(clean, dict) and isinstance(clean.get("caveats"), list):
        clean["caveats"].extend({"code": c["code"], "text": c["text"]} for c in caveats)
    return _strict_json(clean), caveats


def _strict_json(value) -> str:
    """Strict JSON text that always encodes as UTF-8: a lone surrogate (echoed from a hostile input)
    is written as its \\u escape instead of a raw character."""
    text = json.dumps(value, allow_nan=False, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value, allow_nan=False, ensure_ascii=True)
    return text


def handle(request: str) -> str:
    """Answer one JSON request with strict JSON text; never raises."""
    try:
        result_text, caveats = dispatch(request)
        return f'{{"ok": true, "result": {result_text}, "caveats": {_strict_json(caveats)}}}'
    except InputError as exc:
        response = {"ok": False, "error": exc.to_dict()}
    except Exception as exc:  # the boundary must answer; the message never carries a traceback
        response = {"ok": False, "error": {"type": "internal", "field": None,
                                           "message": f"internal error ({type(exc).__name__}): {exc}"[:500]}}
    try:
        return _strict_json(response)
    except (TypeError, ValueError) as exc:
        return json.dumps({"ok": False, "error": {"type": "internal", "field": None,
                                                  "message": f"internal error: unserialisable result ({exc})"[:500]}})
