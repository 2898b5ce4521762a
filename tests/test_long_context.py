"""Honest long-context verdicts (issue 12): the supported context in every γ recipe and the profile,
RoPE scaling (an exact effective θ where one exists, "not calibrated" where none does), the
closed-form tautology told straight, position limits in X-FIT, one common context in compare."""
import math
from pathlib import Path

import pytest

import taf
from taf import formulas as F

CONFIGS = Path(__file__).parent / "fixtures" / "configs"
LLAMA3 = "meta-llama/Meta-Llama-3-8B"
GAMMA_RECIPES = ("X-2", "X-19", "X-21", "X-22")
EXTRA = {"X-22": {"gamma_obs": 0.6}}


def config(name):
    return (CONFIGS / f"{name}.json").read_text()


@pytest.mark.parametrize("t_eval", [32768, 262144])
def test_base_llama3_beyond_its_8k_is_never_a_go(t_eval):
    for rid in GAMMA_RECIPES:
        r = taf.run_recipe(rid, model=LLAMA3, T_eval=t_eval, **EXTRA.get(rid, {}))
        assert r["level"] not in ("ok", "info"), rid
        assert "beyond_supported_context" in {c["code"] for c in r["caveats"]}, rid
        step = next(s for s in r["chain"] if s["name"] == "Supported context")
        assert step["result"] == 8192 and r["figures"]["supported_context_tokens"]["value"] == 8192
    x2 = taf.run_recipe("X-2", model=LLAMA3, T_eval=t_eval)
    assert (x2["verdict"], x2["level"]) == ("BEYOND SUPPORTED CONTEXT", "warning")
    card = taf.profile_model(model=LLAMA3, T_eval=t_eval)
    assert card["level"] == "warning" and card["context"]["beyond"] is True


def test_pythia_at_twice_its_trained_length_is_not_yes():
    r = taf.run_recipe("X-2", model="EleutherAI/pythia-1b", T_eval=4096, gamma_obs=0.8)
    assert r["verdict"] != "YES" and r["level"] in ("warning", "critical")
    assert "beyond_supported_context" in {c["code"] for c in r["caveats"]}
    r = taf.run_recipe("X-2", model="EleutherAI/pythia-1b", T_eval=4096, gamma_obs=0.3)  # the formula alone: YES
    assert (r["verdict"], r["level"]) == ("BEYOND SUPPORTED CONTEXT", "warning") and "would answer YES" in r["reason"]


def test_llama31_at_64k_is_not_calibrated_not_catastrophic():
    """llama3 ×8 scaling (from 8,192): no single θ; within the supported 131,072 tokens."""
    r = taf.run_recipe("X-2", config=config("llama3.1-8b"), T_eval=65536)
    assert (r["verdict"], r["level"]) == ("NOT CALIBRATED", "unknown")
    assert r["figures"]["supported_context_tokens"]["value"] == 131072
    gamma_steps = [s for s in r["chain"] if s["section"].startswith("§26.")]
    assert gamma_steps and all(s["applicable"] is False for s in gamma_steps)
    assert "rope_scaling_not_calibrated" in {c["code"] for c in r["caveats"]}
    assert r["figures"]["kv_bytes"]["value"] == 32 * 2 * 8 * 128 * 65536 * 2  # memory still holds
    within = taf.run_recipe("X-2", config=config("llama3.1-8b"), T_eval=8192)  # the original context
    assert within["verdict"] == "UNVERIFIED" and within["level"] == "info"


def test_deepseek_v3_at_32k_is_never_catastrophic():
    r = taf.run_recipe("X-2", config=config("deepseek-v3"), T_eval=32768)
    assert r["level"] not in ("critical", "catastrophic")
    assert (r["verdict"], r["level"]) == ("NOT CALIBRATED", "unknown")
    assert "yarn" in r["reason"] and "163,840" in r["reason"]
    card = taf.profile_model(config=config("deepseek-v3"), T_eval=32768)
    assert card["level"] == "unknown" and card["diagnostics"]["hagedorn_safety"]["label"] == "NOT CALIBRATED"


def test_effective_theta_linear_is_exact():
    """Position interpolation divides positions by s; γ_Padé depends on T/θ only, so θ·s is exact."""
    for theta, t, s in ((1e6, 65536, 8.0), (1e4, 4096, 2.0)):
        assert F.gamma_pade(F.effective_theta(theta, t, 128, "linear", s), t) == pytest.approx(F.gamma_pade(theta, t / s))
    r = taf.run_recipe("X-2", config=config("gemma3-27b"), T_eval=65536)
    assert r["figures"]["theta_effective"]["value"] == 8e6
    assert r["figures"]["gamma_pade"]["value"] == F.gamma_pade(8e6, 65536)


def test_effective_theta_dynamic_ntk_follows_transformers():
    """HF transformers: base · ((factor · seq_len / max_pos) − (factor − 1)) ** (dim / (dim − 2))."""
    theta, d, factor, original = 10000.0, 128, 4.0, 4096
    assert F.effective_theta(theta, 4096, d, "dynamic", factor, original) == theta  # within: unchanged
    t = 16384
    assert F.effective_theta(theta, t, d, "dynamic", factor, original) == pytest.approx(
        theta * ((factor * t / original) - (factor - 1)) ** (d / (d - 2)))
    assert F.effective_theta(theta, t, d, "yarn", factor, original) is None


def test_supported_context_rules():
    assert F.supported_context(8192) == 8192
    assert F.supported_context(8192, "linear", 4.0, 8192) == 32768
    assert F.supported_context(8192, "llama3", 32.0, 8192, max_position_embeddings=131072) == 131072
    assert F.supported_context(131072, "llama3", 8.0, 8192, 131072) == 131072
    assert F.supported_context(None) is None


def test_closed_form_x2_is_unverified_with_the_prediction_visible():
    r = taf.run_recipe("X-2", model="Qwen/Qwen2.5-7B", T_eval=16384)
    assert (r["verdict"], r["level"]) == ("UNVERIFIED", "info")
    prediction = next(s for s in r["chain"] if s["name"] == "Framework prediction")
    assert prediction["result"] == "YES" and "gamma_obs" in r["mitigation"]
    measured = taf.run_recipe("X-2", model="Qwen/Qwen2.5-7B", T_eval=16384, gamma_obs=0.8)
    assert (measured["verdict"], measured["level"]) == ("YES", "ok")
    assert "Padé Deviation Index" in [s["name"] for s in measured["chain"]]


def test_xfit_largest_context_respects_the_model():
    qwen = taf.run_recipe("X-FIT", model="Qwen/Qwen2.5-7B", gpu="L4", context=8192)
    assert qwen["largest_context"] == 32768 and qwen["largest_context_limited_by"] == "supported context"
    mistral = taf.run_recipe("X-FIT", model="mistralai/Mistral-7B-v0.1", gpu="H100 SXM", context=8192)
    assert mistral["largest_context"] == 32768 and mistral["largest_context_limited_by"] == "position limit"
    assert "Not limited by memory" in mistral["mitigation"]
    assert mistral["largest_context"] < 1_000_000_000  # never the input's upper bound
    big = taf.run_recipe("X-FIT", model=LLAMA3, gpu="H100 SXM", context=600_000_000)  # was a seq_len error
    assert (big["verdict"], big["largest_context"]) == ("DOES NOT FIT", 8192)
    assert "beyond_supported_context" in {c["code"] for c in big["caveats"]}


def test_compare_default_is_one_common_context():
    c = taf.compare_models(["EleutherAI/pythia-1b", LLAMA3, "Qwen/Qwen2.5-7B"], "X-2")
    assert c["shared_params"]["T_eval"] == 32768
    assert [r["verdict"] for r in c["rows"]] != ["YES"] * 3
    assert "ok" not in {r["level"] for r in c["rows"]}
    mine = taf.compare_models(["EleutherAI/pythia-1b", LLAMA3], "X-2", {"T_eval": 1024})
    assert mine["shared_params"] == {"T_eval": 1024}


def test_the_seed_formulas_still_reproduce_the_seed():
    assert F.gamma_pade(500000, 32768) == (2 * 500000 - 32768 * math.sqrt(2)) / (2 * 500000 + 32768 * math.sqrt(2))
    assert F.d_horizon(1e4, 0.5) == 1e4 * 0.5 * math.sqrt(2) / 1.5
