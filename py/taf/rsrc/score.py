"""RSRC scoring: RSRC_t of every row of a parsed table in the reference calculator's step order
(rsrc-formula.md; quirks included), with the values each row used and its intermediates, and the
calls the UI and the CLI make (parse + score in one go).

    score_leaderboard(table, params=None, mode="reference", exclude_implausible=False)
    rsrc_score_csv(text, ...) / rsrc_score_upload(data_base64, ...) / rsrc_bundled(...)
"""
from __future__ import annotations

import math
from itertools import repeat
from operator import itemgetter

from .. import catalog, validate
from ..errors import InputError
from .metadata import ACTIVE_SOURCE, EXCLUDE_IMPLAUSIBLE, MODE, MODES, resolve_params
from .parse import COLUMNS, NUMERIC, SCORE_INPUTS, _NO_FLAGS, _gc_paused, parse_csv_text, parse_upload


def _reason_missing(table, row, score_inputs) -> str:
    """'missing Training FLOPs ('Unknown'), Year (blank)' for a row lacking score inputs."""
    words = []
    for key, value in zip(SCORE_INPUTS, score_inputs):
        if value is None:
            raw = table["raw"][row].get(key, "")
            words.append(f"{COLUMNS[key][0]} ('{raw}')" if raw else f"{COLUMNS[key][0]} (blank)")
    return "missing " + ", ".join(words)


TABLE_KEYS = ("count", "line", "model", "architecture", "basis", "values", "raw", "flags",
              "implausible", "duplicates")


def score_leaderboard(parsed: dict, params=None, mode: str = "reference",
                      exclude_implausible=False, active_source: str = "reference") -> dict:
    """Score every parsed row; scored rows ranked by RSRC_t (descending), unscored rows after."""
    parsed = validate.mapping("parsed", parsed)
    if any(key not in parsed for key in TABLE_KEYS):
        raise InputError("parsed", "expected the result of parse_csv_text")
    p = resolve_params(params)
    mode = MODE.check(mode)
    active_source = ACTIVE_SOURCE.check(active_source)
    exclude = EXCLUDE_IMPLAUSIBLE.check(exclude_implausible)
    with _gc_paused():
        return _score_table(parsed, p, mode, active_source, exclude)


def _score_table(table, p, mode, active_source, exclude) -> dict:
    """RSRC_t of every row in the reference's step order (rsrc-formula.md), each with the values
    it used and its intermediates; scored rows ranked by RSRC_t (descending), unscored after."""
    alpha, beta, arch_score = p["ALPHA"], p["BETA"], p["ARCH_SCORE"]
    moe_scale, legacy_factor, legacy_before = p["MOE_PARAM_SCALE_FACTOR"], p["LEGACY_PENALTY_FACTOR"], p["LEGACY_BEFORE_YEAR"]
    moe_k, dense_k = p["MOE_EXPONENT"], p["DENSE_EXPONENT"]
    year_now, slope, floor = p["CURRENT_YEAR"], p["AGE_DECAY_SLOPE"], p["AGE_DECAY_FLOOR"]
    cap_exp, cap_scale, overrides = p["FLOPS_CAP_EXPONENT"], p["FLOPS_CAP_SCALE"], p["ACTIVE_OVERRIDES"]
    capped, use_column, log = mode == "capped", active_source == "column", math.log
    values, count = table["values"], table["count"]
    implausible = table["implausible"]
    column = {key: values.get(key) or repeat(None) for key in NUMERIC}  # an absent column reads None
    mmlu_known = [v for v in values.get("mmlu", ()) if v is not None]
    mmlu_mean = sum(mmlu_known) / len(mmlu_known) if mmlu_known else None
    scored, unscored = [], []
    for i, (line, model, architecture, basis, flags, raw, params_b, layers, flops, mmlu, energy, year, active_b) in \
            enumerate(zip(table["line"], table["model"], table["architecture"], table["basis"], table["flags"],
                          table["raw"], *column.values())):
        bad_columns = implausible.get(i) if implausible else None
        score, reason, intermediate = None, "", _NO_FLAGS
        if exclude and bad_columns:
            reason = "excluded as implausible (" + ", ".join(bad_columns) + ")"
        elif params_b is None or flops is None or energy is None or year is None:
            reason = _reason_missing(table, i, (params_b, flops, energy, year))
        else:
            cap = params_b ** cap_exp * cap_scale if params_b > 0 else 0.0                   # step 1
            flops_capped = flops if flops <= cap else cap
            flops_for_score = flops_capped if capped else flops
            if params_b <= 0 or flops_for_score <= 0 or energy <= 0:
                reason = ("Parameters (B)" if params_b <= 0 else "Training FLOPs" if flops_for_score <= 0
                          else "Energy/pFLOP") + " must be positive to be scored"
            else:
                is_moe = architecture == "MoE"
                efficiency = (flops_for_score / params_b ** alpha) * (energy / beta)         # step 2
                legacy = architecture == "Dense" and year < legacy_before                     # step 3
                if legacy:
                    efficiency *= legacy_factor
                if is_moe:                                                                    # step 5
                    active, active_basis = params_b * moe_scale, "MoE scale factor"
                else:
                    active, active_basis = params_b, "total parameters"
                override = overrides.get(model)
                if override is not None:
                    active, active_basis = override, "known override"
                if use_column and active_b is not None:
                    active, active_basis = active_b, "Active Parameters (B) column"
                age = 1 - (year_now - year) * slope                                           # step 6
                if age < floor:
                    age = floor
                exponent = moe_k if is_moe else dense_k
                if efficiency <= 0:
                    reason = "the efficiency score is 0 (a parameter is 0)"
                else:
                    ln_active = log(active)
                    result = (ln_active * arch_score / efficiency ** exponent) * age          # step 7
                    if result - result != 0.0:
                        reason = "the score overflows (values far out of range)"
                    else:
                        score, intermediate = result, {
                            "efficiency_score": efficiency, "legacy_penalty_applied": legacy, "flops_cap": cap,
                            "flops_capped": flops_capped, "flops_cap_changed_value": flops_capped < flops,
                            "active_params_b": active, "active_basis": active_basis, "age_decay": age,
                            "exponent": exponent, "ln_active": ln_active}
        (scored if score is not None else unscored).append({
            "line": line, "model": model, "architecture": architecture, "rsrc_t": score,
            "status": "scored" if score is not None else "unscored", "reason": reason,
            "flags": flags,
            "implausible": bad_columns is not None,
            "values": {"params_b": params_b, "layers": layers, "flops_pf": flops, "mmlu": mmlu,
                       "energy": energy, "year": year, "active_b": active_b},
            "raw": raw, "basis": basis,
            "mmlu_filled": mmlu if mmlu is not None else mmlu_mean, "intermediate": intermediate, "rank": None})
    scored.sort(key=itemgetter("rsrc_t"), reverse=True)  # stable: ties keep file order
    for rank, row in enumerate(scored, start=1):
        row["rank"] = rank
    return {"source": table.get("source", ""), "mode": mode, "mode_text": MODES[mode],
            "active_source": active_source, "exclude_implausible": exclude,
            "params": dict(p), "rows": scored + unscored,
            "summary": {"rows_in": count, "rows_out": len(scored) + len(unscored),
                        "scored": len(scored), "unscored": len(unscored),
                        "flagged_implausible": len(implausible), "duplicates": table["duplicates"]},
            "caveats": [{"code": "approximate_data", "text": "Most figures are analyst estimates and "
                         "extrapolations (see the file's basis notes); use RSRC to compare, not to measure."}]
            + ([{"code": "flops_cap_no_effect", "text": "Reference mode: the FLOPs cap changes the shown "
                 "FLOPs only; the score was computed before the cap (a quirk of the reference)."}]
               if mode == "reference" else [])}


# ── the calls the UI and CLI make ─────────────────────────────────────────────────────────────
def rsrc_score_csv(text, params=None, mode="reference", exclude_implausible=False,
                   active_source="reference", source="uploaded file") -> dict:
    """Parse and score CSV text in one call (one pause of the cyclic collector for both)."""
    with _gc_paused():
        return score_leaderboard(parse_csv_text(text, source), params, mode, exclude_implausible,
                                 active_source)


def rsrc_score_upload(data_base64, params=None, mode="reference", exclude_implausible=False,
                      active_source="reference", source="uploaded file") -> dict:
    """Score an uploaded file sent as base64 bytes, so binary and non-UTF-8 files are judged here."""
    return score_leaderboard(parse_upload(data_base64, source), params, mode, exclude_implausible,
                             active_source)


def bundled_csv_text() -> str:
    return (catalog.presets_dir() / "leaderboard.csv").read_text(encoding="utf-8")


def rsrc_bundled(params=None, mode="reference", exclude_implausible=False,
                 active_source="reference") -> dict:
    """The project's leaderboard (presets/leaderboard.csv), scored."""
    return rsrc_score_csv(bundled_csv_text(), params, mode, exclude_implausible, active_source,
                          source="presets/leaderboard.csv")
