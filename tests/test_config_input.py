"""`config` (the text of a config.json) as a model input, in place of `model`, for every recipe,
the profile and compare: one path with a pasted config, the same figures as the fields it fills."""
from pathlib import Path

import pytest

import taf
from taf import InputError
from taf.config_import import import_config

FIXTURES = Path(__file__).parent / "fixtures" / "configs"
LLAMA = (FIXTURES / "llama3-8b.json").read_text()
CONFIGS = sorted(FIXTURES.glob("*.json"))
EXTRA = {"X-22": {"gamma_obs": 0.6}, "X-23": {"gamma_text": 0.5, "gamma_random": 0.4}}


def _fields(text, recipe):
    """What the person would get by typing the imported fields into the recipe's form."""
    names = {n for p in recipe["params"] for n in (p["name"], *p["aliases"])} | set(taf.recipes.ARCH_FIELDS)
    return {k: v for k, v in import_config(text)["params"].items() if k in names}


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.stem)
@pytest.mark.parametrize("recipe", taf.list_recipes(), ids=lambda r: r["id"])
def test_every_recipe_takes_a_config(recipe, path):
    """Every recipe × every fixture config: by config or by the fields it fills, the same answer
    (or the same input error)."""
    text, extra = path.read_text(), EXTRA.get(recipe["id"], {})
    try:
        by_fields = taf.run_recipe(recipe["id"], **_fields(text, recipe), **extra)
    except InputError as exc:
        with pytest.raises(InputError) as err:
            taf.run_recipe(recipe["id"], config=text, **extra)
        assert (err.value.field, err.value.message) == (exc.field, exc.message)
        return
    by_config = taf.run_recipe(recipe["id"], config=text, **extra)
    assert by_config["figures"] == by_fields["figures"]
    assert by_config["verdict"] == by_fields["verdict"]
    if recipe["accepts_model"]:
        assert by_config["inputs"]["config"].endswith("(config.json)")


def test_profile_and_compare_take_a_config():
    card = taf.profile_model(config=LLAMA, T_eval=32768)
    assert card["inputs"]["config"] == "llama (config.json)" and card["figures"]["kv_bytes"]["value"] == 32 * 2 * 8 * 128 * 32768 * 2
    c = taf.compare_models([{"config": LLAMA}, "meta-llama/Meta-Llama-3-8B"], "X-FIT", {"context": 8192})
    assert c["rows"][0]["label"] == "llama (config.json)"
    assert c["rows"][0]["figures"]["kv_bytes"] == c["rows"][1]["figures"]["kv_bytes"]


def test_config_problems_name_the_config_key():
    with pytest.raises(InputError) as err:
        taf.run_recipe("X-2", config='{"model_type": "llama", "num_hidden_layers": -3}')
    assert err.value.field == "config" and "num_hidden_layers" in err.value.message
    with pytest.raises(InputError) as err:
        taf.run_recipe("X-2", config="{not json")
    assert err.value.field == "config"
    with pytest.raises(InputError) as err:
        taf.run_recipe("X-2", config=LLAMA, model="meta-llama/Meta-Llama-3-8B")
    assert err.value.field == "config" and "not both" in err.value.message
