"""The D_f window: exact against the brute-force discrete sum, at any size."""
import random

import pytest

from taf import InputError, formulas as F


def brute_force(gamma, n, f):
    weights = [d ** (-gamma) for d in range(1, n + 1)]
    target = f * sum(weights)
    cum = 0.0
    for d, w in enumerate(weights, start=1):
        cum += w
        if cum >= target:
            return d
    return n


GRID_N = [1, 2, 3, 10, 63, 64, 65, 100, 127, 1000, 2048, 4096, 8192, 32768, 65536, 131072, 200_000]


@pytest.mark.parametrize("gamma", [0.65, 0.7, 0.72, 0.75, 0.8, 0.85])
@pytest.mark.parametrize("f", [0.5, 0.9, 0.99])
def test_equals_brute_force_on_grid(gamma, f):
    for n in GRID_N:
        assert F.df_window(gamma, n, f) == brute_force(gamma, n, f), (gamma, n, f)


def test_equals_brute_force_random_cases():
    rng = random.Random(1234)
    for _ in range(150):
        gamma = rng.uniform(0.65, 0.85)
        n = rng.randint(1, 200_000)
        f = rng.uniform(0.05, 1.0)
        assert F.df_window(gamma, n, f) == brute_force(gamma, n, f), (gamma, n, f)


def test_float_context_is_accepted_as_int():  # defect 4
    assert F.df_window(0.75, 65536.0) == F.df_window(0.75, 65536)


def test_non_integral_or_non_positive_n_is_an_input_error():  # defect 15: N ≤ 0 returned 1
    for bad in (0, -5, 2.5):
        with pytest.raises(InputError) as err:
            F.df_window(0.75, bad)
        assert err.value.field == "N"


def test_outside_calibrated_zone_is_none():
    assert F.df_window(0.6, 1000) is None and F.df_window(0.9, 1000) is None


def test_huge_n_is_fast_and_sane():
    d = F.df_window(0.75, 10_000_000)
    approx = F.df_window_continuous(0.75, 10_000_000)
    assert abs(d - approx) / approx < 0.01


def test_partial_sum_matches_direct_sum():
    for s in (0.65, 0.75, 0.85, 1.0):
        direct = sum(d ** -s for d in range(1, 100_001))
        assert F.power_partial_sum(s, 100_000) == pytest.approx(direct, rel=1e-12)
