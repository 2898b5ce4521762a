"""Every result is the caller's own: changing any part of one (as a caller or the JSON layer may)
changes nothing in the next. Guards the speed work against caches that hand out shared objects."""
import json

import taf

MODEL = "meta-llama/Meta-Llama-3-8B"
MEASURED = {"X-21": {"gamma_random_obs": 0.5}, "X-22": {"gamma_obs": 0.8},
            "X-23": {"gamma_text": 0.8, "gamma_random": 0.6}}


def _calls():
    for meta in taf.list_recipes():
        yield meta["id"], lambda rid=meta["id"]: taf.run_recipe(rid, model=MODEL, **MEASURED.get(rid, {}))
    yield "profile", lambda: taf.profile_model(model=MODEL)
    yield "compare", lambda: taf.compare_models([MODEL, "EleutherAI/pythia-1b"], "X-5")


def _scribble(value):
    """Change every dict and list inside value, in place."""
    if isinstance(value, dict):
        for key in list(value):
            _scribble(value[key])
            value[key] = "changed"
        value["added"] = True
    elif isinstance(value, list):
        for item in value:
            _scribble(item)
        value.append("added")


def test_changing_a_result_changes_nothing_after():
    for name, call in _calls():
        expected = json.dumps(call())
        _scribble(call())
        assert json.dumps(call()) == expected, name
