"""The glossary (taf/glossary.py) and the explained diagnostics claims (issue 12, item 5)."""
import json
import re

import pytest

import taf
from taf import api, figures
from taf import formulas as F
from taf.diagnose import diagnostics_metadata, gamma_diagnostics
from taf.glossary import ANCHOR_PREFIX, glossary

TERMS = glossary()["terms"]
BY_ID = {t["id"]: t for t in TERMS}
# Every term the issue lists, by its glossary id (ids are stable: URLs link to #term-<id>).
REQUIRED = {"TAF": "taf", "γ": "gamma", "Padé": "gamma-pade", "d_horizon": "d-horizon", "L_NIAH": "l-niah",
            "Hagedorn": "hagedorn", "phases A/B": "phases", "post-IH": "post-ih", "D_f": "d-f-window",
            "χ": "chi", "K": "invariant-k", "PDI": "pdi", "RSRC": "rsrc"}
PHASE_A = [1e-6, 0.05, 0.2929, 0.5, 0.75, 0.9, 0.95, 0.999]


def test_every_term_has_id_section_text_and_reliability():
    for t in TERMS:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", t["id"]), t["id"]
        assert t["anchor"] == ANCHOR_PREFIX + t["id"]
        for key in ("term", "section", "text", "reliability", "group"):
            assert isinstance(t[key], str) and t[key].strip(), (t["id"], key)
        assert len(t["text"]) > 150, t["id"]  # a paragraph, not a label
        assert t["phrases"] or t["figures"], t["id"]


def test_ids_anchors_and_phrases_are_unique():
    ids = [t["id"] for t in TERMS]
    assert len(ids) == len(set(ids))
    phrases = [p for t in TERMS for p in t["phrases"]]
    assert len(phrases) == len(set(phrases)), sorted(p for p in phrases if phrases.count(p) > 1)
    named = [f for t in TERMS for f in t["figures"]]
    assert len(named) == len(set(named))


@pytest.mark.parametrize("word, term_id", sorted(REQUIRED.items()))
def test_every_term_the_issue_lists_is_present(word, term_id):
    assert term_id in BY_ID, word


def test_sections_are_paper_sections_and_groups_are_known():
    groups = {g["id"] for g in glossary()["groups"]}
    for t in TERMS:
        assert t["group"] in groups
        if t["id"] != "rsrc":  # RSRC is a separate paper, and says so
            assert t["section"].startswith("§"), t["id"]
    assert "§26.2" == BY_ID["d-horizon"]["section"] and "§33.2" == BY_ID["pdi"]["section"]


def test_figure_names_are_real_figures():
    for t in TERMS:
        for name in t["figures"]:
            assert name in figures.FIGURES, (t["id"], name)


def test_thresholds_in_the_text_come_from_the_formulas():
    assert "[0.65, 0.85]" in BY_ID["d-f-window"]["text"]
    assert "γ ≥ 1" in BY_ID["hagedorn"]["text"] and "0.95 ≤ γ < 1" in BY_ID["hagedorn"]["text"]
    assert "51.2 ± 16.8" in BY_ID["invariant-k"]["text"]
    assert "exploratory" in BY_ID["gamma-decomposition"]["text"]
    assert "22 models" in BY_ID["invariant-k"]["text"]  # says when a quantity rests on a small panel


def test_glossary_through_the_json_boundary_and_in_app_metadata():
    out = json.loads(api.handle('{"call": "glossary"}'))
    assert out["ok"] and out["result"] == json.loads(json.dumps(glossary(), ensure_ascii=False))
    meta = json.loads(api.handle('{"call": "app_metadata"}'))["result"]
    assert meta["glossary"] == out["result"]


def first_match(text, step_figures=()):
    """The match rule the UI follows (glossary()['match_rule']), for the tests."""
    best = None
    for t in TERMS:
        for phrase in t["phrases"]:
            for m in re.finditer(re.escape(phrase), text):
                before = text[m.start() - 1] if m.start() else ""
                after = text[m.end()] if m.end() < len(text) else ""
                if re.match(r"\w", before) or re.match(r"\w", after):
                    continue
                key = (m.start(), -len(phrase))
                if best is None or key < best[0]:
                    best = (key, t["id"])
                break
    if best:
        return best[1]
    return next((t["id"] for name in step_figures for t in TERMS if name in t["figures"]), None)


def test_x2_chain_steps_find_their_terms():
    r = taf.run_recipe("X-2", model="meta-llama/Meta-Llama-3-8B")
    found = {s["name"]: first_match(s["name"], s.get("figures") or []) for s in r["chain"]}
    assert found["γ_Padé"] == "gamma-pade"
    assert found["d_horizon"] == "d-horizon"
    assert found["L_NIAH^c"] == "l-niah"
    assert found["γ-decomposition"] == "gamma-decomposition"
    assert first_match("K = γ·ln(N²·D)") == "invariant-k"          # the earliest match wins
    assert first_match("Baseline KV memory (per request)") == "kv-cache"
    assert first_match("Δγ discriminator") == "post-ih"             # not γ inside Δγ
    assert first_match("Training FLOPs") is None


def test_diagnostics_sections_link_to_glossary_terms():
    sections = diagnostics_metadata()["sections"]
    result = gamma_diagnostics()
    for s in sections:
        assert s["term"] in BY_ID and s["anchor"] == BY_ID[s["term"]]["anchor"]
        assert s["key"] in result["sections"] and s["title"]
    assert set(result["sections"]) == {s["key"] for s in sections}


def one_sentence(text):
    return text.endswith(".") and not re.search(r"[.!?]\s+[A-Z]", text[:-1])


@pytest.mark.parametrize("g", PHASE_A)
def test_every_identity_in_the_diagnostics_result_is_explained(g):
    ids = gamma_diagnostics(gamma=g)["sections"]["identities"]
    assert ids["n_checks_total"] == 12 and len(ids["checks"]) == 12
    for name, check in ids["checks"].items():
        assert one_sentence(check["explanation"]), (name, check["explanation"])
        assert check["outcome"], name
    assert one_sentence(ids["explanation"]) and "every γ in (0, 1)" in ids["explanation"]
    refuted = ids["checks"]["eta_2gamma_REFUTED"]
    assert refuted["passes"] and refuted["outcome"] == "η = 2γ refuted"
    assert "refuted" in refuted["explanation"] and "η = γ − 1" in refuted["explanation"]
    fisher = ids["checks"]["Fisher_independent"]
    assert "Fisher" in fisher["explanation"] and "not an error" in fisher["explanation"]


def test_the_eta_claim_of_the_critical_exponents_is_explained():
    ce = gamma_diagnostics(gamma=0.75)["sections"]["critical_exponents"]
    assert "INCORRECT" in ce["eta_note"]  # the seed's words stay
    assert one_sentence(ce["eta_explanation"]) and "η = 2γ" in ce["eta_explanation"]


def test_a_failing_identity_is_explained_as_rounding():
    out = F.verify_algebraic_consistency(0.999999, tol=1e-300)
    failed = [c for c in out["checks"].values() if not c["passes"]]
    assert failed
    for c in failed:
        assert one_sentence(c["explanation"]) and "rounding" in c["explanation"]


SEED_TOP_KEYS = {"input_gamma", "phase", "n_checks_total", "n_checks_passed", "all_consistent",
                 "framework_verified_by", "checks", "interpretation", "references"}
SEED_CHECK_KEYS = {"claim", "value", "passes"}
SEED_CE_KEYS = {"nu_correlation_length", "beta_order_param", "eta_anomalous_dim", "eta_note",
                "alpha_specific_heat", "gamma_susceptibility", "c_central_at_gamma_0", "AM_GM_bound",
                "hyperscaling_check", "warning_paper1_eta"}


def test_seed_keys_and_values_stay():
    out = F.verify_algebraic_consistency(0.75)
    assert SEED_TOP_KEYS <= set(out)
    assert out["interpretation"].startswith("All 12/12 D-SAGE identities consistent")
    for name, check in out["checks"].items():
        assert SEED_CHECK_KEYS <= set(check), name
    assert out["checks"]["eta_2gamma_REFUTED"]["expected"] == "positive (refutes η=2γ)"
    assert out["checks"]["Fisher_independent"]["expected_formula"] == pytest.approx(0.75 * (1.5 - 3) / 0.25)
    assert SEED_CE_KEYS <= set(F.critical_exponents_bundle(0.75))
