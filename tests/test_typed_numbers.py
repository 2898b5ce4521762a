"""Numbers as people type them: suffixes parsed by the engine, and errors that say what to type."""
import pytest

from taf import api, validate
from taf.errors import InputError
from taf.params import Param

CONTEXT = Param("context", "integer", "tokens per request", unit="tokens", min=1, max=10 ** 7)
PARAMS = Param("n_params", "number", "parameters", unit="params", min=0, min_exclusive=True)
BYTES = Param("memory", "number", "bytes", unit="bytes", min=0)
FRACTION = Param("memory_utilization", "number", "share of memory", min=0, max=1, min_exclusive=True)


@pytest.mark.parametrize("param,text,value", [
    (CONTEXT, "32k", 32768), (CONTEXT, "128K", 131072), (CONTEXT, "1M", 1048576), (CONTEXT, "32768", 32768),
    (CONTEXT, "32,768", 32768), (CONTEXT, " 4 k ", 4096), (PARAMS, "8B", 8e9), (PARAMS, "70e9", 70e9),
    (PARAMS, "1.5T", 1.5e12), (PARAMS, "7.6b", 7.6e9), (PARAMS, "405M", 405e6), (BYTES, "80GB", 80e9),
    (BYTES, "80GiB", 80 * 2 ** 30), (BYTES, "141 GB", 141e9), (FRACTION, "90 %", 0.9), (FRACTION, "90%", 0.9),
    (FRACTION, "0.9", 0.9)])
def test_suffixes(param, text, value):
    assert param.check(text) == pytest.approx(value, rel=1e-12)


def test_a_context_is_binary_a_token_budget_decimal():
    assert CONTEXT.binary and not PARAMS.binary
    assert CONTEXT.metadata()["suffix_base"] == 1024 and PARAMS.metadata()["suffix_base"] == 1000
    assert isinstance(CONTEXT.check("32k"), int)


@pytest.mark.parametrize("param,text,hint", [
    (FRACTION, "90", "must be at most 1; got 90; did you mean 0.9?"),
    (FRACTION, "500", "type 1 or less"),
    (CONTEXT, "abc", "type one such as 32768, 32k"),
    (CONTEXT, "2.5", "did you mean 2 or 3?"),
    (CONTEXT, "0", "type 1 or more"),
    (PARAMS, "0", "type a value above"),
    (CONTEXT, "32q", "type one such as"),
    (CONTEXT, "", "enter a number"),
])
def test_every_error_says_what_to_type(param, text, hint):
    with pytest.raises(InputError) as exc:
        param.check(text)
    assert hint in str(exc.value.message if hasattr(exc.value, "message") else exc.value)


def test_huge_and_non_finite_text_is_refused_not_crashed():
    for text in ("1" * 5000, "1e400", "nan", "inf", "1e400k"):
        with pytest.raises(InputError):
            validate.number("x", text)


def test_recipe_echoes_the_canonical_value():
    import json
    out = json.loads(api.handle(json.dumps({"call": "run_recipe", "args": {
        "recipe_id": "X-2", "model": "Qwen/Qwen2.5-7B", "T_eval": "32k"}})))
    assert out["ok"] and out["result"]["inputs"]["T_eval"] == 32768
