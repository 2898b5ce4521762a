"""Published reference figures the engine must reproduce exactly."""
import pytest

from taf import formulas as F


def test_llama3_8b_kv_cache_8k_bf16():
    kv = F.kv_cache_memory(32, 8, 128, 8192, 2.0)
    assert kv["bytes"] == 1_073_741_824


def test_six_n_d():
    assert F.training_flops(7e9, 2e12) == pytest.approx(8.4e22, rel=1e-15)
    assert F.training_flops(70e9, 1.4e12) == pytest.approx(5.88e23, rel=1e-15)


def test_h100_decode_ceiling_for_16_06_gb_model():
    tok_s = F.inference_decode_throughput(8.03e9, 3350, 2.0)
    assert tok_s == pytest.approx(3350 / 16.06)
    assert round(tok_s) == 209


def test_chinchilla_20_tokens_per_param():
    assert F.chinchilla_optimal_tokens(70e9) == 1.4e12
    assert F.chinchilla_optimal_N(1.4e12) == 70e9
    assert F.training_memory_16N(7e9)["GB"] == 112.0


@pytest.mark.parametrize("n,tier", [(5e7, "below 100M"), (1e8, "above 100M"), (1e9, "above 1B"),
                                    (1e10, "above 10B"), (1e11, "above 100B")])
def test_emergence_tiers(n, tier):
    assert F.emergent_threshold(n).startswith(tier)
