"""Every preset × every recipe, and the verdict boundaries of each recipe."""
import math

import pytest

import taf
from taf import InputError, formulas as F
from taf.recipes import RECIPES

PRESETS = taf.catalog.preset_ids()  # the hand-written presets (the catalog: tests/test_catalog.py)
STEP_KEYS = {"step", "section", "name", "formula", "inputs", "result", "interpretation"}
RESULT_KEYS = {"recipe_id", "recipe_name", "inputs", "chain", "verdict", "reason", "mitigation",
               "level", "caveats"}
MEASURED = {"X-22": {"gamma_obs": 0.8}, "X-21": {"gamma_random_obs": 0.5},
            "X-23": {"gamma_text": 0.8, "gamma_random": 0.6}}


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("rid", list(RECIPES))
def test_every_preset_on_every_recipe(preset, rid):
    r = taf.run_recipe(rid, model=preset, **MEASURED.get(rid, {}))
    assert RESULT_KEYS <= set(r)
    assert r["level"] in taf.LEVELS
    assert r["verdict"] and r["reason"] and r["mitigation"]
    for i, step in enumerate(r["chain"], start=1):
        assert STEP_KEYS <= set(step) and step["step"] == i
    assert all({"code", "text"} <= set(c) for c in r["caveats"])
    assert r["inputs"]["model"] == preset


@pytest.mark.parametrize("preset", PRESETS)
def test_every_preset_profile(preset):
    p = taf.profile_model(model=preset)
    assert set(p["recipes"]) == {"X-1", "X-2", "X-3", "X-5", "X-19", "X-FIT"}
    assert p["level"] in taf.LEVELS
    assert p["diagnostics"]["bimodal_phase_class"] == p["diagnostics"]["hagedorn_safety"]["phase_class"]


def test_recipe_metadata_is_enough_for_a_form():
    for meta in taf.list_recipes():
        assert meta["params"]
        for p in meta["params"]:
            assert {"name", "type", "unit", "default", "help", "required"} <= set(p)
            if p["type"] in ("number", "integer"):
                assert "min" in p and "max" in p
            if p["type"] == "choice":
                assert p["choices"]


# ── X-2 boundaries (θ = 1e4, γ_obs = 0.5 → d_h = 4714.05, L_NIAH = 9428.09; trained to 16K) ──
X2 = dict(theta=1e4, T_train=16384, n_attention_heads=8, n_kv_heads=8, d_head=64, n_layers=8,
          n_params=1e8, gamma_obs=0.5)


@pytest.mark.parametrize("t_eval,verdict", [(4714, "YES"), (4715, "DEGRADED"), (9428, "DEGRADED"),
                                            (9429, "NO")])
def test_x2_boundaries(t_eval, verdict):
    assert F.d_horizon(1e4, 0.5) == pytest.approx(4714.045, abs=1e-3)
    assert taf.run_recipe("X-2", **X2, T_eval=t_eval)["verdict"] == verdict


@pytest.mark.parametrize("g", [0.0, 1.0, -0.3, 1.2])
def test_x2_outside_phase_a_is_no(g):
    r = taf.run_recipe("X-2", **{**X2, "gamma_obs": g}, T_eval=1000)
    assert (r["verdict"], r["level"]) == ("NO", "critical")


def test_x2_measured_gamma_adds_pdi_step():
    r = taf.run_recipe("X-2", **X2, T_eval=4000)
    assert any(s["name"] == "Padé Deviation Index" for s in r["chain"])
    assert "closed_form_identity" not in {c["code"] for c in r["caveats"]}


# ── X-19: each of its five verdicts ──
X19 = dict(T_train=8192, n_attention_heads=8, n_kv_heads=8, d_head=64, n_layers=8, n_params=1e8)


@pytest.mark.parametrize("theta,gamma_obs,t_eval,verdict", [
    (5e5, 0.75, 8192, "USE SOFT DECAY"),             # d_h huge, γ in zone
    (4000, 0.75, 8192, "USE D_f HARD CUTOFF"),       # d_h small, γ in zone
    (5e5, 0.9, 8192, "USE SOFT DECAY (caveat)"),     # d_h huge, γ out of zone
    (5e5, 1.1, 8192, "USE LITERATURE METHODS"),      # outside Phase A
    (4000, 0.9, 8192, "USE HARD T_train CUTOFF"),    # neither
])
def test_x19_verdicts(theta, gamma_obs, t_eval, verdict):
    r = taf.run_recipe("X-19", theta=theta, gamma_obs=gamma_obs, T_eval=t_eval, **X19)
    assert r["verdict"] == verdict


def test_x19_regime_boundary_is_1_2():
    # choose θ so that d_h / (T_train/2) is just above / below 1.2 with γ_obs = 0.75
    factor = (1 - 0.75) * math.sqrt(2) / 1.75
    theta_at = 1.2 * 4096 / factor
    above = taf.run_recipe("X-19", theta=theta_at * 1.001, gamma_obs=0.75, T_eval=8192, **X19)
    below = taf.run_recipe("X-19", theta=theta_at * 0.999, gamma_obs=0.75, T_eval=8192, **X19)
    assert above["verdict"] == "USE SOFT DECAY" and below["verdict"] == "USE D_f HARD CUTOFF"


# ── X-1 ──
def _x1(**kw):
    return taf.run_recipe("X-1", N_params=1e8, gpu="H100 SXM", n_gpus=8, **kw)


def test_x1_payback_horizon_boundary():
    be = _x1(monthly_tokens_M=1.0)["figures"]["break_even_tokens"]["value"] / 1e6
    assert _x1(monthly_tokens_M=be / 12 * 1.0001)["verdict"] == "YES (custom)"
    assert _x1(monthly_tokens_M=be / 12 * 0.9999)["verdict"] == "NO (API)"
    assert _x1(monthly_tokens_M=be / 3 * 1.0001, payback_horizon_months=3)["verdict"] == "YES (custom)"


def test_x1_no_volume_and_no_savings():
    assert _x1(monthly_tokens_M=0)["verdict"] == "NO (API)"
    r = taf.run_recipe("X-1", N_params=70e9, api_model="GPT-4o-mini", monthly_tokens_M=1e6)
    assert r["verdict"] == "NO (API)" and "never breaks even" in r["reason"]


# ── X-3 ──
def test_x3_tiny_vs_go_boundary():
    # N_opt = √(C/120) = 1e8 ⇔ C = 1.2e18; C = 989e12·0.45·USD/price·3600 with price 1 $/h
    usd = 1.2e18 / (989e12 * 0.45 * 3600)
    assert taf.run_recipe("X-3", USD_budget=usd * 1.001, gpu_usd_per_hour=1, mfu=0.45)["verdict"] == "GO"
    assert taf.run_recipe("X-3", USD_budget=usd * 0.999, gpu_usd_per_hour=1, mfu=0.45)["verdict"] == "TINY-MODEL"


def test_x3_memory_limited_and_target_model():
    assert taf.run_recipe("X-3", USD_budget=5e7, gpu="RTX 4090")["verdict"] == "MEMORY-LIMITED"
    assert taf.run_recipe("X-3", target_N_params=70e9)["verdict"] == "OVER BUDGET"
    assert taf.run_recipe("X-3", target_N_params=1e8, USD_budget=1e4)["verdict"] == "AFFORDABLE"


def test_x3_a_budget_inside_the_cost_band_is_not_green():
    """The training cost (at the MFU calibrated on published runs) is not exact: a budget above the estimate
    but below the top of its 80 % band is a warning that names the band's top; above the band it is
    AFFORDABLE. With the person's own MFU there is no band (it describes the calibrated MFU), and the
    verdict compares the budget with the estimate."""
    r = taf.run_recipe("X-3", target_N_params=7e9, n_gpus=8, USD_budget=1e9)
    cost = r["figures"]["training_usd"]
    assert cost["value"] < cost["high"]
    between = taf.run_recipe("X-3", target_N_params=7e9, n_gpus=8, USD_budget=(cost["value"] + cost["high"]) / 2)
    assert (between["verdict"], between["level"]) == ("AFFORDABLE IF THE ESTIMATE HOLDS", "warning")
    assert f"${cost['high']:,.0f}" in between["reason"]
    above = taf.run_recipe("X-3", target_N_params=7e9, n_gpus=8, USD_budget=cost["high"] * 1.01)
    assert (above["verdict"], above["level"]) == ("AFFORDABLE", "ok")
    below = taf.run_recipe("X-3", target_N_params=7e9, n_gpus=8, USD_budget=cost["value"] * 0.99)
    assert below["verdict"] == "OVER BUDGET"
    own = taf.run_recipe("X-3", target_N_params=7e9, n_gpus=8, mfu=0.45, USD_budget=1e9)["figures"]["training_usd"]
    assert "high" not in own and own["value"] < cost["value"]
    assert taf.run_recipe("X-3", target_N_params=7e9, n_gpus=8, mfu=0.45, USD_budget=own["value"] * 1.01)["verdict"] == "AFFORDABLE"


def test_x3_without_an_mfu_uses_the_calibrated_one_at_the_size_the_budget_buys():
    """No MFU given: the budget's Chinchilla size and the calibrated MFU at that size agree (a fixed point),
    and the target path uses the calibrated MFU of the target on this GPU — the same as X-1's."""
    from taf import quantities as Q
    r = taf.run_recipe("X-3", USD_budget=2e6, n_gpus=64)
    step = next(s for s in r["chain"] if s["name"] == "Max training FLOPs")
    size = r["figures"]["chinchilla_params"]["value"]
    h100 = taf.catalog.gpu("H100 SXM")
    assert step["inputs"]["mfu"] == pytest.approx(Q.calibrated_training_mfu(size, h100)[0], rel=1e-6)
    assert step["inputs"]["mfu_from"].startswith("calibrated")
    t = taf.run_recipe("X-3", target_N_params=8e9, n_gpus=8)
    x1 = taf.run_recipe("X-1", N_params=8e9, D_tokens=1.6e11, gpu="H100 SXM", n_gpus=8, flops_convention="6N")
    assert t["figures"]["training_usd"]["value"] == pytest.approx(x1["figures"]["training_usd"]["value"], rel=1e-12)


# ── X-5 ──
def test_x5_verdicts():
    base = dict(n_layers=32, n_kv_heads=8, d_head=128)
    assert taf.run_recipe("X-5", N_params=8e9, target_tokens_per_day=1e6, **base)["verdict"] == "YES"
    assert taf.run_recipe("X-5", N_params=8e9, target_tokens_per_day=1e9, **base)["verdict"] == "YES (needs replicas)"
    assert taf.run_recipe("X-5", N_params=1e12, **base)["verdict"] == "NO"


#
def test_x21_purity_band():
    base = dict(theta=1e4, T_train=2048, n_params=1.4e9)
    pred = F.gamma_random_predict(1e4, 2048, 1400)
    assert taf.run_recipe("X-21", **base, gamma_random_obs=pred + 0.17)["verdict"] == "CLEAN"
    assert taf.run_recipe("X-21", **base, gamma_random_obs=pred + 0.19)["verdict"] == "UNDER-IMPRINTED"
    assert taf.run_recipe("X-21", **base, gamma_random_obs=pred - 0.19)["verdict"] == "OVER-IMPRINTED"
    assert taf.run_recipe("X-21", **base)["verdict"] == "PREDICTION ONLY"


def test_x22_band():
    base = dict(theta=1e4, T_train=2048, n_params=1e9)
    k_per_gamma = math.log(1e9 * 1e9 * 2e10)
    inside = (51.2 + 16.8 * 0.99) / k_per_gamma
    outside = (51.2 + 16.8 * 1.01) / k_per_gamma
    assert taf.run_recipe("X-22", **base, gamma_obs=inside)["verdict"] == "IN-BAND"
    assert taf.run_recipe("X-22", **base, gamma_obs=outside)["verdict"] == "OUTLIER"


@pytest.mark.parametrize("n,text,rand,verdict", [
    (1e9, 0.8, 0.6, "CONFIRMED POST-IH"), (1e8, 0.6, 0.8, "CONFIRMED PRE-IH"),
    (1e9, 0.6, 0.8, "ANOMALY"), (1e9, 0.7, 0.7, "INCONCLUSIVE"), (1e9, None, None, "PREDICTED POST-IH"),
])
def test_x23_verdicts(n, text, rand, verdict):
    assert taf.run_recipe("X-23", n_params=n, gamma_text=text, gamma_random=rand)["verdict"] == verdict


def test_compare_marks_differences_and_keeps_bad_rows():
    c = taf.compare_models(["EleutherAI/pythia-1b", {"model": "Qwen/Qwen2.5-7B", "label": "Q"},
                            {"theta": -1}], "X-2", {"T_eval": 32768})
    assert [r["label"] for r in c["rows"]] == ["pythia-1b", "Q", "model 3"]
    assert c["rows"][2]["verdict"] == "ERROR" and c["rows"][2]["error"]["field"] == "theta"
    assert c["differs"]["gamma_pade"] is True and c["verdicts_differ"] is True
    assert c["labels"]["gamma_pade"] == "γ_Padé (closed form)" and c["units"]["kv_bytes"] == "bytes"
    assert c["rows"][0]["figures"]["gamma_pade"]["value"] == taf.formulas.gamma_pade(10000, 32768)


def test_unknown_input_name_is_refused_with_the_list():
    with pytest.raises(InputError) as err:
        taf.run_recipe("X-2", model="EleutherAI/pythia-1b", T_evl=100)
    assert err.value.field == "T_evl" and "T_eval" in err.value.message


def test_missing_model_field_names_it():
    with pytest.raises(InputError) as err:
        taf.run_recipe("X-2", T_eval=100)
    assert err.value.field == "theta"


@pytest.mark.parametrize("recipe", [r for r in taf.recipes.RECIPES.values() if r.gated_steps], ids=lambda r: r.id)
def test_gated_steps_are_the_steps_the_recipe_computes(recipe):
    """A model without RoPE gets exactly these steps marked not applicable: they must be the very
    (section, name) pairs the recipe writes for a model with it (names matched as strings drift)."""
    extra = {"X-22": {"gamma_obs": 0.6}, "X-23": {"gamma_text": 0.5, "gamma_random": 0.4},
             "X-21": {"gamma_random_obs": 0.3}, "X-19": {"gamma_obs": 0.75}}
    r = taf.run_recipe(recipe.id, model="meta-llama/Meta-Llama-3-8B", **extra.get(recipe.id, {}))
    computed = {(s["section"], s["name"]) for s in r["chain"]}
    assert set(recipe.gated_steps) <= computed
    na = taf.run_recipe(recipe.id, model="state-spaces/mamba-2.8b", **extra.get(recipe.id, {}))
    assert [(s["section"], s["name"]) for s in na["chain"] if s["applicable"] is False] == list(recipe.gated_steps)


def _every_param():
    from taf import diagnose, profile, rsrc
    params = [p for r in taf.recipes.RECIPES.values() for p in r.params] + list(profile.PARAMS) + list(diagnose.PARAMS)
    return params + [rsrc.metadata.ACTIVE_SOURCE, rsrc.metadata.MODE, rsrc.metadata.EXCLUDE_IMPLAUSIBLE]


@pytest.mark.parametrize("param", _every_param(), ids=lambda p: p.name)
def test_every_default_is_its_own_valid_value(param):
    """resolve() hands a default out unchecked, so each default must already be what check() returns."""
    if param.default is None:
        return
    checked = param.check(param.default)
    assert checked == param.default and type(checked) is type(param.default)


def test_compare_says_when_a_column_holds_values_under_different_conditions():
    """X-5 picks a GPU per model: its decode column compares speeds on different GPUs, and says so."""
    c = taf.compare_models(["EleutherAI/pythia-1b", "meta-llama/Llama-3.3-70B-Instruct"], "X-5", {})
    gpus = {row["figures"]["decode_tokens_per_s"]["at"]["gpu"] for row in c["rows"]}
    assert len(gpus) == 2 and c["conditions_differ"]["decode_tokens_per_s"] is True
    assert c["conditions_differ"]["weights_bytes"] is False  # both bf16: one condition


def test_x23_refuses_a_size_its_rule_cannot_read_on_the_field_the_form_has():
    """§30's size rule reads millions of parameters from 0.001 M: below 1,000 parameters X-23 names n_params,
    the field a person typed (it named the formula's n_params_M, which no form has)."""
    meta = next(r for r in taf.list_recipes() if r["id"] == "X-23")
    assert next(p for p in meta["params"] if p["name"] == "n_params")["min"] == 1000
    with pytest.raises(taf.InputError) as exc:
        taf.run_recipe("X-23", n_params=5, gamma_text=0.1, gamma_random=0.2)
    assert exc.value.field == "n_params"
    assert taf.run_recipe("X-23", n_params=1000, gamma_text=0.1, gamma_random=0.2)["verdict"]
