#!/usr/bin/env python3
"""Byte-for-byte snapshot of the engine's results, to show a speed-up changed no output.

    python3 bench/outputs_snapshot.py write  /tmp/before.json   # before a change
    python3 bench/outputs_snapshot.py check  /tmp/before.json   # after it: exit 1 on any difference

Every recipe × every preset × several contexts and GPUs, the profile likewise, compare for every
recipe, every config.json fixture through every recipe and the profile, and a few error inputs;
each case is stored as json.dumps of the result (or of the error), so key order counts too."""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "py"))

import taf  # noqa: E402
from taf import InputError, catalog  # noqa: E402
from taf.api import handle  # noqa: E402
from taf.report import render_markdown, render_text  # noqa: E402

CONTEXTS = (None, 2048, 32768, 131072)
GPUS = ({}, {"gpu": "H200"}, {"gpu": "RTX 4090"}, {"gpu": "Apple M4 Max (128 GB)"},
        {"gpu": "Apple M4 Max (128 GB)", "gpu_usd_per_hour": 1.5})
MEASURED = {"X-21": {"gamma_random_obs": 0.5}, "X-22": {"gamma_obs": 0.8},
            "X-23": {"gamma_text": 0.8, "gamma_random": 0.6}}
CONFIGS = sorted((ROOT / "tests" / "fixtures" / "configs").glob("*.json"))


def _dump(fn, **kwargs) -> str:
    try:
        return json.dumps(fn(**kwargs), ensure_ascii=False)
    except InputError as exc:
        return "ERROR " + json.dumps(exc.to_dict(), ensure_ascii=False)


def _context_name(meta):
    for p in meta["params"]:
        if p["name"] in ("context", "T_eval") or "T_eval" in p["aliases"]:
            return p["name"]
    return None


def cases() -> dict:
    out = {}
    metas = taf.list_recipes()
    presets = [p["id"] for p in catalog.list_presets()]
    for meta in metas:
        rid, ctx = meta["id"], _context_name(meta)
        names = {p["name"] for p in meta["params"]}
        for model in presets:
            for context in CONTEXTS:
                for gpu in [g for g in GPUS if set(g) <= names]:
                    args = {"model": model, **MEASURED.get(rid, {})}
                    if context is not None and ctx:
                        args[ctx] = context
                    args.update(gpu)
                    out[f"run {rid} {json.dumps(args, sort_keys=True)}"] = _dump(taf.run_recipe, recipe_id=rid, **args)
        for path in CONFIGS:
            args = {"config": path.read_text(encoding="utf-8"), **MEASURED.get(rid, {})}
            out[f"run {rid} config {path.name}"] = _dump(taf.run_recipe, recipe_id=rid, **args)
        for half in (presets[: len(presets) // 2], presets[len(presets) // 2:]):
            for context in (None, 8192):
                shared = dict(MEASURED.get(rid, {}))
                if context is not None and ctx:
                    shared[ctx] = context
                out[f"compare {rid} {half} {context}"] = _dump(taf.compare_models, specs=half, recipe_id=rid,
                                                               shared_params=shared)
        out[f"compare {rid} mixed"] = _dump(taf.compare_models, specs=[
            presets[0], {"config": CONFIGS[0].read_text(encoding="utf-8"), "label": "cfg"},
            {"model": presets[1], "n_layers": 0}, "no-such-model"], recipe_id=rid,
            shared_params=MEASURED.get(rid, {}))
    for model in presets:
        for context in CONTEXTS:
            for gpu in GPUS:
                args = {"model": model}
                if context is not None:
                    args["T_eval"] = context
                args.update(gpu)
                out[f"profile {json.dumps(args, sort_keys=True)}"] = _dump(taf.profile_model, **args)
        out[f"profile {model} measured"] = _dump(taf.profile_model, model=model, gamma_obs=0.7)
    for path in CONFIGS:
        out[f"profile config {path.name}"] = _dump(taf.profile_model, config=path.read_text(encoding="utf-8"))
    out["profile typed"] = _dump(taf.profile_model, theta=500000, T_train=8192, n_attention_heads=32,
                                 n_kv_heads=8, d_head=128, n_layers=32, n_params=8e9)
    for bad in ({"model": "nope"}, {"model": presets[0], "T_eval": -1}, {"theta": "x"},
                {"model": presets[0], "config": "{}"}, {"model": presets[0], "unknown_input": 1}):
        out[f"errors profile {bad}"] = _dump(taf.profile_model, **bad)
        out[f"errors X-2 {bad}"] = _dump(taf.run_recipe, recipe_id="X-2", **bad)
    result = taf.run_recipe("X-2", model=presets[0])
    out["report markdown"] = render_markdown(result)
    out["report text"] = render_text(result)
    for request in ({"call": "profile_model", "args": {"model": presets[1]}},
                    {"call": "run_recipe", "args": {"recipe_id": "X-5", "model": presets[2]}},
                    {"call": "compare_models", "args": {"specs": presets[:3], "recipe_id": "X-FIT"}}):
        out[f"api {request}"] = handle(json.dumps(request))
    return out


def main():
    mode, path = sys.argv[1], Path(sys.argv[2])
    now = cases()
    if mode == "write":
        path.write_text(json.dumps(now, ensure_ascii=False, indent=0), encoding="utf-8")
        print(f"{len(now)} cases written to {path}")
        return 0
    before = json.loads(path.read_text(encoding="utf-8"))
    differ = [k for k in before if now.get(k) != before[k]] + [k for k in now if k not in before]
    for key in differ[:10]:
        print("DIFFERS:", key[:200])
    print(f"{len(now)} cases, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
