"""The sweep call (one recipe across a range of one input, in one call) and the axes the engine lays out."""
import json
import math

import pytest

from taf import api, axes
from taf.errors import InputError


def ask(call, **args):
    return json.loads(api.handle(json.dumps({"call": call, "args": args})))


def test_context_sweep_is_log2_with_figures_and_verdicts():
    out = ask("sweep", recipe_id="X-FIT", sweep="context", sweep_from="1k", sweep_to="128k", points=64,
              inputs={"model": "Qwen/Qwen2.5-7B"})
    assert out["ok"], out
    r = out["result"]
    assert r["spacing"] == "log2" and len(r["points"]) == 64
    xs = [p["x"] for p in r["points"]]
    assert xs[0] == 1024 and xs[-1] == 131072 and xs == sorted(xs) and all(isinstance(x, int) for x in xs)
    assert r["default"] in r["headline"] and "kv_bytes" in r["headline"]
    assert all(p["verdict"] and p["level"] for p in r["points"])
    assert [t["label"] for t in r["x_axis"]["ticks"]] == ["1K", "4K", "16K", "64K", "128K"]
    # each point equals a single run of the recipe at that value
    one = ask("run_recipe", recipe_id="X-FIT", model="Qwen/Qwen2.5-7B", context=xs[10])["result"]
    assert r["points"][10]["figures"]["kv_bytes"] == one["figures"]["kv_bytes"]["value"]


def test_sweep_spacing_and_errors():
    users = ask("sweep", recipe_id="X-FIT", sweep="concurrent_users", sweep_from=1, sweep_to=64,
                inputs={"model": "Qwen/Qwen2.5-7B"})["result"]
    assert users["spacing"] == "log10" and len({p["x"] for p in users["points"]}) == len(users["points"])
    narrow = ask("sweep", recipe_id="X-FIT", sweep="memory_utilization", sweep_from="50%", sweep_to="0.95", points=10,
                 inputs={"model": "Qwen/Qwen2.5-7B"})["result"]
    assert narrow["spacing"] == "linear" and narrow["points"][0]["x"] == 0.5
    bad = ask("sweep", recipe_id="X-FIT", sweep="gpu", sweep_from=1, sweep_to=2)
    assert bad["error"]["field"] == "sweep" and "context" in bad["error"]["message"]
    assert ask("sweep", recipe_id="X-FIT", sweep="context", sweep_from="lots", sweep_to=2)["error"]["field"] == "context"
    assert ask("sweep", recipe_id="X-FIT", sweep="context", sweep_from=1, sweep_to=2, points=10_000)["error"]["field"] == "points"


def test_axes():
    assert [t["label"] for t in axes.log2(1000, 120_000)["ticks"]] == ["1K", "4K", "16K", "64K", "128K"]
    lin = axes.linear(0, 87e9, "bytes")
    assert [t["label"] for t in lin["ticks"]] == ["0", "20 GB", "40 GB", "60 GB", "80 GB", "100 GB"]
    assert axes.label(8e9, "params") == "8B" and axes.label(1.5e12, "tokens") == "1.5T"
    assert axes.spacing(1024, 131072, True) == "log2" and axes.spacing(0.5, 0.9, False) == "linear"
    pts = axes.points(1, 64, 64, "log10", True)
    assert pts[0] == 1 and pts[-1] == 64 and len(pts) == len(set(pts))


def test_fit_chart_axes_reach_the_answer():
    r = ask("run_recipe", recipe_id="X-FIT", model="meta-llama/Meta-Llama-3-8B", concurrent_users=8, n_gpus=1)["result"]
    ax = r["chart"]["axes"]
    largest = r["figures"]["largest_context_tokens"]["value"]
    assert ax["answer"]["context"] == largest and ax["x"]["max"] >= largest
    assert all(math.log2(t["value"]).is_integer() for t in ax["x"]["ticks"])
