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


# ---- fast paths agree with the general validators (answers, types and error messages) -------------------

def _outcome(fn, value):
    try:
        out = fn(value)
        return ("ok", out, type(out))
    except InputError as exc:
        return ("error", exc.field, exc.message)


edge_values = st.one_of(anything, st.sampled_from([0, 0.0, -0.0, 1, 1.0, True, False, math.nan, math.inf, -math.inf,
                                                   2 ** 53, 2 ** 53 + 1, float(2 ** 53), 1e-320, "", " ", "32k"]))


@SETTINGS
@given(st.data())
def test_every_params_fast_checker_answers_as_its_general_check(data):
    from taf import profile
    from taf.params import Param
    params = {id(p): p for r in taf.recipes.RECIPES.values() for p in r.params}
    params.update({id(p): p for p in profile.PARAMS})
    for param in params.values():
        value = data.draw(edge_values, label=param.name)
        if param.type == "choice" and data.draw(st.booleans()):
            value = data.draw(st.sampled_from(param.options() or ["x"]))
        fast, slow = _outcome(param.checker, value), _outcome(param._check, value)
        assert fast == slow or (fast[0] == slow[0] == "ok" and fast[1] != fast[1] and slow[1] != slow[1]), (param.name, value)


@SETTINGS
@given(edge_values, st.sampled_from([1.0, 1e6, 1e16]), st.sampled_from([1, 0, 3]))
def test_check_fast_paths_answer_as_validate(value, hi, lo):
    from taf import validate
    from taf.formulas import _check as c
    assert _outcome(lambda v: c.positive(v, "f", hi), value) == _outcome(
        lambda v: validate.number("f", v, lo=validate.SMALLEST_POSITIVE, hi=hi), value)
    assert _outcome(lambda v: c.nonneg(v, "f", hi), value) == _outcome(lambda v: validate.number("f", v, lo=0, hi=hi), value)
    assert _outcome(lambda v: c.fraction(v, "f"), value) == _outcome(
        lambda v: validate.number("f", v, lo=0, hi=1, lo_open=True), value)
    assert _outcome(lambda v: c.count(v, "f", int(hi), lo=lo), value) == _outcome(
        lambda v: validate.integer("f", v, lo=lo, hi=int(hi)), value)


@SETTINGS
@given(st.sampled_from([p["id"] for p in taf.list_presets()]),
       st.lists(st.integers(min_value=0, max_value=2_000_000), min_size=1, max_size=6),
       st.sampled_from([0.5, 1.0, 2.0]))
def test_curves_equal_their_formula_point_by_point(model, contexts, element_bytes):
    """kv_cache_bytes_curve and gamma_pade_curve give exactly what the one-point formulas give."""
    from taf.recipes.base import architecture
    preset = taf.catalog.preset_record(model)
    arch = architecture({}, preset, {})
    try:
        one = [F.kv_cache_bytes_arch(arch, t, element_bytes)["bytes"] for t in contexts]
    except InputError:
        return
    assert F.kv_cache_bytes_curve(arch, contexts, element_bytes) == one
    if preset.get("theta"):
        positive = [t for t in contexts if t > 0]
        assert F.gamma_pade_curve(preset["theta"], positive) == [F.gamma_pade(preset["theta"], t) for t in positive]


def test_axis_ticks_are_fresh_dicts_every_time():
    """Tick labels are formatted once per range, but no two axes share a dict: changing one changes no other."""
    from taf import axes
    a, b = axes.log2(1024, 65536), axes.log2(1024, 65536)
    assert a == b and a["ticks"][0] is not b["ticks"][0]
    a["ticks"][0]["label"] = "changed"
    assert axes.log2(1024, 65536)["ticks"][0]["label"] != "changed"
