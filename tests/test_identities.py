"""Exact identities of the formulas (§26, §33, §34): these fail if a formula is wrong."""
import math

import pytest
from hypothesis import given, strategies as st

from taf import formulas as F

thetas = st.floats(min_value=1.0, max_value=1e9)
contexts = st.integers(min_value=1, max_value=10_000_000)
phase_a = st.floats(min_value=1e-6, max_value=1 - 1e-6)


@given(thetas, contexts)
def test_theta_design_inverts_gamma_pade(theta, t):
    g = F.gamma_pade(theta, t)
    if abs(g) < 1 - 1e-9:
        assert F.theta_design(g, t) == pytest.approx(theta, rel=1e-6)


@given(st.floats(min_value=1.0, max_value=7e8))
def test_gamma_pade_is_zero_at_theta_sqrt2(theta):
    assert F.gamma_pade(theta, theta * math.sqrt(2)) == pytest.approx(0.0, abs=1e-12)


@given(thetas, contexts)
def test_horizon_of_closed_form_gamma_is_t_eval(theta, t):
    g = F.gamma_pade(theta, t)
    if 1e-6 < g < 1 - 1e-6:
        assert F.d_horizon(theta, g) == pytest.approx(t, rel=1e-6)


@given(thetas, contexts)
def test_pdi_is_one_at_closed_form_gamma(theta, t):
    g = F.gamma_pade(theta, t)
    if 1e-6 < g < 1 - 1e-6:
        assert F.pade_deviation_index(theta, g, t)["PDI"] == pytest.approx(1.0, rel=1e-6)


@given(phase_a)
def test_critical_exponent_identities(g):
    e = F.critical_exponents_bundle(g)
    assert e["beta_order_param"] * e["nu_correlation_length"] == pytest.approx(-1)
    assert e["alpha_specific_heat"] + e["nu_correlation_length"] == pytest.approx(2)
    assert e["gamma_susceptibility"] >= 2 * math.sqrt(2) - 1e-12
    assert e["hyperscaling_check"]["Rushbrooke (α + 2β + γ_susc = 2)"] == pytest.approx(2, rel=1e-6)


def test_gamma_susc_minimum_and_c_central():
    g_min = 1 - 1 / math.sqrt(2)
    assert F.critical_exponents_bundle(g_min)["gamma_susceptibility"] == pytest.approx(2 * math.sqrt(2))
    assert F.critical_exponents_bundle(0.0)["gamma_susceptibility"] == pytest.approx(3)
    assert F.critical_exponents_bundle(0.5)["gamma_susceptibility"] == pytest.approx(3)
    assert F.critical_exponents_bundle(1.0) == {"regime": "Hagedorn or beyond", "exponents": "diverge"}


@given(phase_a)
def test_all_twelve_identities_hold_in_phase_a(g):
    out = F.verify_algebraic_consistency(g)
    assert out["n_checks_total"] == 12
    assert out["n_checks_passed"] == 12, [k for k, c in out["checks"].items() if not c["passes"]]


@pytest.mark.parametrize("g", [0.0, 1.0, -0.5, 1.5])
def test_identities_refuse_outside_phase_a(g):
    assert F.verify_algebraic_consistency(g)["status"] == "out_of_phase_A"


def test_invariant_k_matches_definition():
    out = F.compute_invariant_K(0.8, 8000)
    n = 8e9
    assert out["K"] == pytest.approx(0.8 * math.log(n * n * 20 * n), rel=1e-15)
    assert out["z_score"] == pytest.approx((out["K"] - 51.2) / 16.8)


def test_imprint_constants():
    assert F.NU_IMPRINT * 2 * math.pi == pytest.approx(-1)
    assert F.gamma_random_predict(1e4, 2048, 14.0) == F.gamma_pade(1e4, 2048)
    assert F.gamma_random_predict(1e4, 2048, 1400.0) == pytest.approx(F.gamma_pade(1e4, 2048) - 2 / (2 * math.pi))
