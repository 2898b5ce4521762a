"""Property tests: any input to any public function gives a result or an InputError, and every
response of the JSON boundary parses with a strict parser."""
import inspect
import json
import math

from hypothesis import HealthCheck, given, settings, strategies as st

import taf
from taf import InputError, api, formulas as F
from taf.recipes.base import ARCH_FIELDS

junk = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["", "  ", "1e400", "NaN", "-0", "65536.0", "H100 SXM", "GPT-4o", "<img src=x>"]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
plausible = st.one_of(st.floats(min_value=-2, max_value=2), st.floats(min_value=0.5, max_value=1e7),
                      st.integers(min_value=-5, max_value=200_000))
anything = st.one_of(junk, plausible)

FORMULA_FUNCS = [getattr(F, name) for name in F.__all__]
PUBLIC = FORMULA_FUNCS + [taf.get_preset, taf.list_presets, taf.list_recipes, taf.list_gpus,
                          taf.list_apis]
SETTINGS = settings(max_examples=int(__import__("os").environ.get("TAF_HYPOTHESIS_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def strict_loads(text):
    def refuse(name):
        raise AssertionError(f"non-strict JSON: {name}")
    return json.loads(text, parse_constant=refuse)


def call_or_input_error(fn, kwargs):
    try:
        result = fn(**kwargs)
    except InputError as exc:
        assert isinstance(exc, ValueError) and exc.message
        return None
    json.dumps(api.sanitize(result, "r", []), allow_nan=False)
    return result


@SETTINGS
@given(st.data())
def test_every_formula_on_any_input(data):
    for fn in PUBLIC:
        names = [p.name for p in inspect.signature(fn).parameters.values()
                 if p.kind is p.POSITIONAL_OR_KEYWORD]
        kwargs = {}
        for name in names:
            if data.draw(st.booleans(), label=f"{fn.__name__}.{name} given"):
                kwargs[name] = data.draw(anything, label=f"{fn.__name__}.{name}")
        required = [p.name for p in inspect.signature(fn).parameters.values()
                    if p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD]
        if all(r in kwargs for r in required):
            call_or_input_error(fn, kwargs)


def _param_strategy(meta):
    good = {"number": plausible, "integer": st.integers(min_value=-3, max_value=300_000),
            "boolean": st.booleans(), "choice": st.sampled_from(meta.get("choices") or ["x"])}[meta["type"]]
    return st.one_of(good, good, junk)


@SETTINGS
@given(st.data())
def test_every_recipe_on_any_input(data):
    for meta in taf.list_recipes():
        kwargs = {}
        if data.draw(st.booleans()):
            kwargs["model"] = data.draw(st.sampled_from([p["id"] for p in taf.list_presets()] + ["nope", 3]))
        for p in meta["params"]:
            if data.draw(st.booleans()):
                kwargs[p["name"]] = data.draw(_param_strategy(p))
        for field in ARCH_FIELDS:  # architecture fields as a URL or a config delivers them: often text
            if data.draw(st.integers(0, 5)) == 0:
                kwargs[field] = data.draw(st.one_of(junk, st.sampled_from(["512", "37e9", "mla", "recurrent", "-1"])))
        call_or_input_error(lambda **kw: taf.run_recipe(meta["id"], **kw), kwargs)


@SETTINGS
@given(st.data())
def test_profile_and_compare_on_any_input(data):
    kwargs = {"model": data.draw(st.sampled_from([p["id"] for p in taf.list_presets()]))}
    for p in api.profile_metadata()["params"]:
        if data.draw(st.booleans()):
            kwargs[p["name"]] = data.draw(_param_strategy(p))
    call_or_input_error(taf.profile_model, kwargs)
    specs = data.draw(st.one_of(junk, st.lists(st.one_of(
        st.sampled_from([p["id"] for p in taf.list_presets()]), st.dictionaries(
            st.sampled_from(["theta", "label", "model", "T_eval", "n_params"]), anything, max_size=3)),
        max_size=4)))
    call_or_input_error(taf.compare_models, {"specs": specs,
                                             "recipe_id": data.draw(st.sampled_from(["X-2", "X-5", "Z"])),
                                             "shared_params": data.draw(st.one_of(st.none(), junk))})


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8)),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.text(max_size=8), children, max_size=3)),
    max_leaves=10)


@SETTINGS
@given(st.sampled_from(sorted(api.CALLS) + ["nope", ""]), st.dictionaries(
    st.sampled_from(["recipe_id", "model", "theta", "T_eval", "gamma", "gamma_obs", "specs",
                     "result", "N", "f", "n_params_M", "x"]), json_values, max_size=4))
def test_handle_always_answers_strict_json(call, args):
    request = json.dumps({"call": call, "args": args})  # may carry NaN/Infinity literals
    response = strict_loads(api.handle(request))
    assert set(response) in ({"ok", "result", "caveats"}, {"ok", "error"})
    if not response["ok"]:
        assert response["error"]["type"] == "input", response
        assert response["error"]["message"]


@SETTINGS
@given(st.text(max_size=60))
def test_handle_survives_any_text(text):
    response = strict_loads(api.handle(text))
    assert response["ok"] is False and response["error"]["type"] == "input"
