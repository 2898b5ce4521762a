"""One number per quantity: every recipe, the profile (and the recipes it runs) and compare, for
every preset at 2K, 8K, 32K and 128K tokens. Any figure reported by more than one result under
the same conditions (its `at`) must have exactly one value."""
import json
from collections import defaultdict

import pytest

import taf
from taf import InputError, catalog
from taf.figures import FIGURES

CONTEXTS = (2048, 8192, 32768, 131072)
MEASUREMENTS = {"X-22": {"gamma_obs": 0.6}, "X-23": {"gamma_text": 0.5, "gamma_random": 0.4}}
PRESETS = catalog.preset_ids()  # the hand-written presets (the catalog: tests/test_catalog.py)


def _context_name(meta):
    """The recipe's input that means 'the context' (context, or T_eval where that is its name)."""
    for p in meta["params"]:
        if p["name"] == "context" or p["name"] == "T_eval" or "T_eval" in p["aliases"]:
            return p["name"]
    return None


def _collect(seen, model, figures, where):
    for name, fig in figures.items():
        assert name in FIGURES, f"{where}: {name} is not a canonical figure name"
        assert (fig["unit"], fig["label"]) == FIGURES[name], f"{where}: {name} unit/label"
        key = (model, name, json.dumps(fig.get("at", {}), sort_keys=True))
        seen[key].append((fig["value"], where))


def _results_at(context):
    """(model, figures, where) for every result that reports figures at this context."""
    out = []
    metas = taf.list_recipes()
    for model in PRESETS:
        for meta in metas:
            args = {"model": model, **MEASUREMENTS.get(meta["id"], {})}
            name = _context_name(meta)
            if name:
                args[name] = context
            try:
                r = taf.run_recipe(meta["id"], **args)
            except InputError:
                continue  # a recipe this preset cannot run (a measurement it lacks, say)
            out.append((model, r["figures"], f"{meta['id']} {model}"))
            if meta["id"] == "X-5" and "decode_tokens_per_s" in r["figures"]:
                best = r["figures"]["decode_tokens_per_s"]["at"]["gpu"]  # the same question on X-5's pick
                for rid, extra in (("X-1", {}), ("X-FIT", {}), ("X-FIT", {"engine": "ideal"})):
                    other = taf.run_recipe(rid, model=model, gpu=best, context=context, **extra)
                    out.append((model, other["figures"], f"{rid} {model} on {best}"))
        card = taf.profile_model(model=model, T_eval=context)
        out.append((model, card["figures"], f"profile {model}"))
        for rid, sub in card["recipes"].items():
            out.append((model, sub["figures"], f"profile/{rid} {model}"))
    for meta in metas:
        name = _context_name(meta)
        shared = {name: context} if name else {}
        shared.update(MEASUREMENTS.get(meta["id"], {}))
        half = len(PRESETS) // 2  # compare takes at most 12 models
        for group in (PRESETS[:half], PRESETS[half:]):
            c = taf.compare_models(group, meta["id"], shared)
            for model, row in zip(group, c["rows"]):
                out.append((model, row["figures"], f"compare {meta['id']} {model}"))
    return out


@pytest.mark.parametrize("context", CONTEXTS)
def test_each_figure_has_one_value(context):
    seen = defaultdict(list)
    for model, figures, where in _results_at(context):
        _collect(seen, model, figures, where)
    shared = {key: reports for key, reports in seen.items() if len(reports) > 1}
    for (model, name, at), reports in shared.items():
        values = {json.dumps(value) for value, _ in reports}
        assert len(values) == 1, f"{model} {name} at {at}: " + "; ".join(f"{w} = {v}" for v, w in reports)
    # the test compares across recipes, not a result with its own copy in compare or the profile
    across = defaultdict(set)
    for (model, name, _), reports in shared.items():
        across[name] |= {frozenset(w.split()[0].replace("compare", "").replace("profile/", "") or "profile"
                                   for _, w in reports)}
    def compared(name, *recipes):
        return any(set(recipes) <= group for group in across[name])
    assert compared("kv_bytes", "X-1", "X-2", "X-5", "X-19", "X-FIT")
    assert compared("decode_tokens_per_s", "X-1", "X-5") and compared("usd_per_million_tokens", "X-1", "X-5")
    assert compared("fits", "X-5", "X-FIT") and compared("memory_usable_bytes", "X-5", "X-FIT")
    assert compared("weights_bytes", "X-1", "X-5", "X-FIT") and compared("gamma_pade", "X-2", "X-19", "X-21")
    assert compared("training_flops", "X-1", "X-3") and compared("training_usd", "X-1", "X-3")


def test_the_issue_examples_agree():
    """The contradictions the issue reported: Mistral KV at 8K, Llama-3-8B decode and $/Mtok on H100."""
    mistral = "mistralai/Mistral-7B-v0.1"
    kv = {taf.run_recipe(rid, model=mistral, T_eval=8192)["figures"]["kv_bytes"]["value"]
          for rid in ("X-2", "X-19", "X-5", "X-FIT")}
    kv.add(taf.profile_model(model=mistral, T_eval=8192)["figures"]["kv_bytes"]["value"])
    assert kv == {32 * 2 * 8 * 128 * 4096 * 2}  # the 4,096-token window caps every layer's cache
    llama = "meta-llama/Meta-Llama-3-8B"
    x1 = taf.run_recipe("X-1", model=llama, gpu="H100 SXM")["figures"]
    x5 = taf.run_recipe("X-5", model=llama)["chain"]
    h100 = next(row for step in x5 if step["name"].startswith("Eligible") for row in step["result"]
                if row["gpu"] == "H100 SXM")
    assert x1["decode_tokens_per_s"]["value"] == h100["decode_tokens_per_s"]
    assert x1["usd_per_million_tokens"]["value"] == h100["usd_per_million_tokens"]
    assert "seed_figure_changed_decode" in {c["code"] for c in taf.run_recipe("X-1", model=llama)["caveats"]}


@pytest.mark.parametrize("rid", [r["id"] for r in taf.list_recipes()])
def test_a_summary_run_keeps_every_figure_verdict_and_caveat_of_the_full_run(rid):
    """The profile and compare ask for summary runs (no charts, X-5 builds only its cheapest row,
    no rescue search): what they keep — figures, verdict, level, reason, mitigation, caveats — must
    be exactly the full run's, on every preset and both ways of listing unpriced GPUs."""
    kept = ("figures", "verdict", "level", "reason", "mitigation", "caveats")
    extra = [{}] + ([{"include_unpriced_gpus": True}, {"concurrent_users": 64, "context": 131072}] if rid == "X-5" else [])
    for model in PRESETS:
        for more in extra:
            args = {"model": model, **MEASUREMENTS.get(rid, {}), **more}
            try:
                full = taf.run_recipe(rid, **args)
            except InputError:
                continue
            brief = taf.run_recipe(rid, summary=True, **args)
            if rid == "X-FIT" and brief["mitigation"] != full["mitigation"]:  # no rescue search: it points to X-FIT
                assert brief["mitigation"].startswith("Open X-FIT") and full["level"] != "ok", model
                brief["mitigation"] = full["mitigation"]
            assert {k: brief[k] for k in kept} == {k: full[k] for k in kept}, (rid, model, more)
            assert "charts" not in brief or not brief["charts"]
