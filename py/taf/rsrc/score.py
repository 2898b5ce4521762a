"""RSRC scoring: RSRC_t of every row of a parsed table in the reference calculator's step order
(rsrc-formula.md; quirks included), with the values each row used and its intermediates, and the
calls the UI and the CLI make (parse + score in one go).

    score_leaderboard(table, params=None, mode="reference", exclude_implausible=False)
    rsrc_score_csv(text, ...) / rsrc_score_upload(data_base64, ...) / rsrc_bundled(...)
"""
from __future__ import annotations

import datetime
import math
from itertools import repeat
from operator import itemgetter

from .. import catalog, validate
from ..errors import InputError
from .metadata import ACTIVE_SOURCE, EXCLUDE_IMPLAUSIBLE, MODE, MODES, RANK_IMPLAUSIBLE, resolve_params
from . import progress as _progress
from .parse import (COLUMNS, NUMERIC, PLAUSIBLE, SCORE_INPUTS, UNITS, _NO_FLAGS, _gc_paused, parse_csv_text,
                    parse_upload)


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
TODAY_YEAR_RANGE = (1900, 9999)
_NO_CHECKS = ()  # shared by every row without a plausibility check that fired; never mutated
_KEY_OF = {name: key for key, (name, _) in COLUMNS.items()}
_ACTIVE_LOW, _ACTIVE_HIGH = PLAUSIBLE["active_b"]  # 1 M to 100 T parameters: why in parse.PLAUSIBLE
_DERIVED_ACTIVE = frozenset(("MoE scale factor", "known override"))


def this_year() -> int:
    """The engine's notion of today (the browser's clock under Pyodide): the year a release year
    may not exceed. score_leaderboard takes `today_year` to pin it (tests, reproducible runs)."""
    return datetime.date.today().year


def score_leaderboard(parsed: dict, params=None, mode: str = "reference",
                      exclude_implausible=False, active_source: str = "reference", *,
                      rank_implausible=False, today_year=None) -> dict:
    """Score every parsed row. Scored rows are ranked by RSRC_t (descending); rows flagged
    implausible keep their score but get no rank (listed after the ranked rows, by score) unless
    rank_implausible; unscored rows come last. today_year (default: this year) dates the
    "release year after this year" check."""
    parsed = validate.mapping("parsed", parsed)
    if any(key not in parsed for key in TABLE_KEYS):
        raise InputError("parsed", "expected the result of parse_csv_text")
    p = resolve_params(params)
    mode = MODE.check(mode)
    active_source = ACTIVE_SOURCE.check(active_source)
    exclude = EXCLUDE_IMPLAUSIBLE.check(exclude_implausible)
    rank_all = RANK_IMPLAUSIBLE.check(rank_implausible)
    today = this_year() if today_year is None else validate.integer("today_year", today_year,
                                                                    lo=TODAY_YEAR_RANGE[0], hi=TODAY_YEAR_RANGE[1])
    with _gc_paused():
        return _score_table(parsed, p, mode, active_source, exclude, rank_all, today)


# ── plausibility checks: a machine-readable code, the column, and plain words ───────────────────
def _number(value) -> str:
    return f"{value:,.0f}" if value == int(value) and abs(value) < 1e15 else f"{value:.4g}"


def _cell_checks(table, i, bad_columns, architecture, memo) -> tuple:
    """The words for a row's cells flagged at parse time (out of range, unknown architecture);
    rows with the same flagged values share one tuple."""
    cells = tuple((name, table["values"][_KEY_OF[name]][i] if _KEY_OF[name] in NUMERIC else architecture)
                  for name in bad_columns)
    checks = memo.get(cells)
    if checks is None:
        out = []
        for name, value in cells:
            key = _KEY_OF[name]
            if key == "architecture":
                out.append({"code": "unknown_architecture", "column": name,
                            "text": f"Architecture {value!r} is neither Dense nor MoE: the reference scores it "
                                    "with the dense exponent and without the legacy penalty"})
            else:
                low, high = PLAUSIBLE[key]
                unit = UNITS[key][0] if UNITS[key][0] not in ("count", "year", "index") else ""
                why = " (1 M to 100 T parameters)" if key in ("params_b", "active_b") else ""
                out.append({"code": "out_of_range", "column": name,
                            "text": f"{name} {_number(value)} is outside the plausible range "
                                    f"{_number(low)}–{_number(high)}{' ' + unit if unit else ''}{why}"})
        checks = memo[cells] = tuple(out)
    return checks


def _future_check(year, today) -> dict:
    return {"code": "future_year", "column": "Year", "flag": "Year: after this year",
            "text": f"release year {year:g} is after this year ({today}): a date not yet reached is "
                    "a typo or a guess, and the age decay has no ceiling, so it raises the score"}


def _score_checks(result, active, active_basis, params_b) -> tuple:
    """The checks a computed row can fail: active parameters above the total, or out of range where
    the count is derived (MoE scale factor, override: the file's own cells have their cell checks),
    and a negative score."""
    out = []
    if active > params_b:
        out.append({"code": "active_above_total", "column": "Active parameters",
                    "flag": "Active parameters: above the total",
                    "text": f"{_number(active)} B active (from {active_basis}) exceeds the "
                            f"{_number(params_b)} B total"})
    elif not _ACTIVE_LOW <= active <= _ACTIVE_HIGH and active_basis in _DERIVED_ACTIVE:
        out.append({"code": "active_out_of_range", "column": "Active parameters",
                    "flag": "Active parameters: implausible",
                    "text": f"{_number(active)} B active (from {active_basis}) is outside the plausible "
                            f"range {_number(_ACTIVE_LOW)}–{_number(_ACTIVE_HIGH)} B (1 M to 100 T parameters)"})
    if result < 0.0:
        out.append({"code": "negative_score", "column": "RSRC_t", "flag": "RSRC_t: negative",
                    "text": f"RSRC_t {result:.4g} is negative: with {_number(active)} B active parameters "
                            "(below 1 B) ln(active) < 0, which inverts the formula's order (a more efficient "
                            "run scores lower), so this score does not compare with positive ones"})
    return tuple(out)


def _because(checks) -> str:
    """'Parameters (B), Layers, Architecture': the columns a row's checks name, once each."""
    return ", ".join(dict.fromkeys(check["column"] for check in checks))


def _public(checks) -> tuple:
    """A row's checks as the caller gets them: {code, column, text} (the flag is in the row's flags)."""
    return tuple({"code": c["code"], "column": c["column"], "text": c["text"]} if "flag" in c else c
                 for c in checks)


def _score_table(table, p, mode, active_source, exclude, rank_all, today, compact=False, mmlu_mean=None) -> dict:
    """RSRC_t of every row in the reference's step order (rsrc-formula.md), each with the values
    it used, its intermediates and its plausibility checks; scored rows ranked by RSRC_t
    (descending), then the implausible scored rows without a rank (unless rank_all), unscored last."""
    alpha, beta, arch_score = p["ALPHA"], p["BETA"], p["ARCH_SCORE"]
    moe_scale, legacy_factor, legacy_before = p["MOE_PARAM_SCALE_FACTOR"], p["LEGACY_PENALTY_FACTOR"], p["LEGACY_BEFORE_YEAR"]
    moe_k, dense_k = p["MOE_EXPONENT"], p["DENSE_EXPONENT"]
    year_now, slope, floor = p["CURRENT_YEAR"], p["AGE_DECAY_SLOPE"], p["AGE_DECAY_FLOOR"]
    cap_exp, cap_scale, overrides = p["FLOPS_CAP_EXPONENT"], p["FLOPS_CAP_SCALE"], p["ACTIVE_OVERRIDES"]
    capped, use_column, log = mode == "capped", active_source == "column", math.log
    active_low, active_high = _ACTIVE_LOW, _ACTIVE_HIGH
    values, count = table["values"], table["count"]
    implausible = table["implausible"]
    column = {key: values.get(key) or repeat(None) for key in NUMERIC}  # an absent column reads None
    if mmlu_mean is None:
        mmlu_known = [v for v in values.get("mmlu", ()) if v is not None]
        mmlu_mean = sum(mmlu_known) / len(mmlu_known) if mmlu_known else None
    scored, unranked, unscored, memo = [], [], [], {}
    flagged = 0
    # compact: no row is kept, only what orders and sorts the rows (pages are built on demand)
    scores, classes, reasons, nflags, reason_memo = [], [], [], [], {}
    rows_in = zip(table["line"], table["model"], table["architecture"], table["basis"], table["flags"],
                  table["raw"], *column.values())
    hook = _progress.hook()
    if hook is not None and compact:  # a whole upload (a page's rows, re-scored for it, report nothing)
        rows_in = _progress.reporting(rows_in, hook, count, "score")
    for i, (line, model, architecture, basis, flags, raw, params_b, layers, flops, mmlu, energy, year, active_b) in \
            enumerate(rows_in):
        bad_columns = implausible.get(i) if implausible else None
        checks = _cell_checks(table, i, bad_columns, architecture, memo) if bad_columns else _NO_CHECKS
        if year is not None and year > today:
            future = memo.get(year)
            if future is None:
                future = memo[year] = (_future_check(year, today),)
            checks += future
        score, reason, intermediate = None, "", _NO_FLAGS
        if exclude and checks:
            pass  # implausible already: left unscored (the reason is written below)
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
                        if result < 0.0 or active < active_low or active > active_high or active > params_b:
                            checks += _score_checks(result, active, active_basis, params_b)   # step 8
                        if compact and not (exclude and checks):
                            score = result
                        elif not (exclude and checks):
                            score, intermediate = result, {
                                "efficiency_score": efficiency, "legacy_penalty_applied": legacy, "flops_cap": cap,
                                "flops_capped": flops_capped, "flops_cap_changed_value": flops_capped < flops,
                                "active_params_b": active, "active_basis": active_basis, "age_decay": age,
                                "exponent": exponent, "ln_active": ln_active}
        if checks:
            flagged += 1
            row_flags = tuple(c["flag"] for c in checks if "flag" in c)
            if row_flags:
                flags = flags + row_flags
                checks = _public(checks)
            if exclude:
                reason = "excluded as implausible (" + _because(checks) + ")"
            elif score is not None and not rank_all:
                reason = "not ranked: flagged implausible (" + _because(checks) + ")"
        if compact:
            scores.append(score)
            classes.append(2 if score is None else 1 if checks and not rank_all else 0)
            reasons.append(reason_memo.setdefault(reason, reason))
            nflags.append(len(flags))
            continue
        row = {"line": line, "model": model, "architecture": architecture, "rsrc_t": score,
               "status": "scored" if score is not None else "unscored", "reason": reason,
               "flags": flags, "implausible": bool(checks), "checks": checks,
               "values": {"params_b": params_b, "layers": layers, "flops_pf": flops, "mmlu": mmlu,
                          "energy": energy, "year": year, "active_b": active_b},
               "raw": raw, "basis": basis,
               "mmlu_filled": mmlu if mmlu is not None else mmlu_mean, "intermediate": intermediate, "rank": None}
        if score is None:
            unscored.append(row)
        elif checks and not rank_all:
            unranked.append(row)
        else:
            scored.append(row)
    if compact:
        score_of = scores.__getitem__
        scored = sorted((i for i, k in enumerate(classes) if k == 0), key=score_of, reverse=True)
        unranked = sorted((i for i, k in enumerate(classes) if k == 1), key=score_of, reverse=True)
        unscored = [i for i, k in enumerate(classes) if k == 2]
    else:
        scored.sort(key=itemgetter("rsrc_t"), reverse=True)  # stable: ties keep file order
        unranked.sort(key=itemgetter("rsrc_t"), reverse=True)
        for rank, row in enumerate(scored, start=1):
            row["rank"] = rank
    caveats = [{"code": "approximate_data", "text": "Most figures are analyst estimates and "
                "extrapolations (see the file's basis notes); use RSRC to compare, not to measure."}]
    if mode == "reference":
        caveats.append({"code": "flops_cap_no_effect", "text": "Reference mode: the FLOPs cap changes the shown "
                        "FLOPs only; the score was computed before the cap (a quirk of the reference)."})
    if unranked:
        caveats.append({"code": "implausible_not_ranked", "text": f"{len(unranked):,} row(s) flagged implausible "
                        "are listed with their scores after the ranked rows, without a rank (their flags say "
                        "why); rank_implausible ranks them."})
    if rank_all and flagged and not exclude:
        caveats.append({"code": "implausible_ranked", "text": "rank_implausible is on: rows flagged implausible "
                        "are ranked with the rest; their flags say why their scores are doubtful."})
    if rank_all and exclude:
        caveats.append({"code": "rank_implausible_no_effect", "text": "exclude_implausible leaves implausible "
                        "rows unscored, so rank_implausible has nothing to rank."})
    duplicates = table["duplicates"]
    blank = table.get("blank_records") or {"count": 0, "lines": []}
    if blank["count"]:
        more = blank["count"] - len(blank["lines"])
        caveats.append({"code": "blank_records", "text": f"{blank['count']:,} blank record(s) of only commas or spaces "
                        "(not rows, so not scored or counted in rows in/out), on line(s) "
                        + ", ".join(map(str, blank["lines"])) + (f" … and {more:,} more" if more else "")})
    for group in duplicates["groups"]:
        caveats.append({"code": "duplicate_names", "text": group["text"] + " (each row is kept and flagged)"})
    if duplicates["group_count"] > len(duplicates["groups"]):
        caveats.append({"code": "duplicate_names", "text": f"… and {duplicates['group_count'] - len(duplicates['groups']):,} "
                        "more duplicate name group(s); their rows are flagged"})
    rows = scored + unranked + unscored
    if compact:  # rows: the row numbers in the engine's order (see pages.py)
        return {"source": table.get("source", ""), "mode": mode, "mode_text": MODES[mode],
                "active_source": active_source, "exclude_implausible": exclude, "rank_implausible": rank_all,
                "today_year": today, "params": dict(p), "order": rows, "ranked": len(scored),
                "scores": scores, "classes": classes, "reasons": reasons, "nflags": nflags, "mmlu_mean": mmlu_mean,
                "summary": _summary(count, len(rows), len(scored), len(unranked), len(unscored), flagged,
                                    duplicates, blank),
                "caveats": caveats}
    return {"source": table.get("source", ""), "mode": mode, "mode_text": MODES[mode],
            "active_source": active_source, "exclude_implausible": exclude, "rank_implausible": rank_all,
            "today_year": today, "params": dict(p), "rows": rows,
            "summary": _summary(count, len(rows), len(scored), len(unranked), len(unscored), flagged,
                                duplicates, blank),
            "caveats": caveats}


def _summary(count, rows_out, ranked, unranked, unscored, flagged, duplicates, blank) -> dict:
    return {"rows_in": count, "rows_out": rows_out, "scored": ranked + unranked, "unscored": unscored,
            "ranked": ranked, "scored_not_ranked": unranked, "flagged_implausible": flagged,
            "duplicates": duplicates["names"], "duplicate_groups": duplicates["group_count"],
            "duplicate_rows": duplicates["rows"], "duplicate_notes": duplicates["groups"],
            "blank_records": blank["count"], "blank_record_lines": blank["lines"]}


# ── the calls the UI and CLI make ─────────────────────────────────────────────────────────────
def rsrc_score_csv(text, params=None, mode="reference", exclude_implausible=False,
                   active_source="reference", source="uploaded file", *, rank_implausible=False,
                   today_year=None) -> dict:
    """Parse and score CSV text in one call (one pause of the cyclic collector for both)."""
    with _gc_paused():
        return score_leaderboard(parse_csv_text(text, source), params, mode, exclude_implausible,
                                 active_source, rank_implausible=rank_implausible, today_year=today_year)


def rsrc_score_upload(data_base64, params=None, mode="reference", exclude_implausible=False,
                      active_source="reference", source="uploaded file", *, rank_implausible=False,
                      today_year=None) -> dict:
    """Score an uploaded file sent as base64 bytes, so binary and non-UTF-8 files are judged here.
    Only what is shown crosses over: the summary (every row counted), the caveats and the first
    page of rows in the engine's order, with "page" {handle, offset, limit, total, sort, descending,
    page_rows}; rsrc_rows(handle, …) gives any other page in any sort, rsrc_csv_export(handle=…)
    every row. The parsed table is kept, so a parameter edit re-scores without parsing again."""
    from . import pages
    with _gc_paused():
        table = pages.parsed_upload(data_base64, source, parse_upload)
        p = resolve_params(params)
        mode = MODE.check(mode)
        active_source = ACTIVE_SOURCE.check(active_source)
        exclude = EXCLUDE_IMPLAUSIBLE.check(exclude_implausible)
        rank_all = RANK_IMPLAUSIBLE.check(rank_implausible)
        today = this_year() if today_year is None else validate.integer(
            "today_year", today_year, lo=TODAY_YEAR_RANGE[0], hi=TODAY_YEAR_RANGE[1])
        compact = _score_table(table, p, mode, active_source, exclude, rank_all, today, compact=True)
        return pages.keep(table, compact, (p, mode, active_source, exclude, rank_all, today))


def rsrc_rows(handle, offset=0, limit=None, sort="rank", descending=False) -> dict:
    """Rows offset … offset + limit (default: a page) of an upload scored by rsrc_score_upload, in a
    sort (rank, model, architecture, rsrc_t, status, flags; rows without a value last), done here in
    Python: {"page": {handle, offset, limit, total, sort, descending, page_rows}, "rows": [...]}."""
    from . import pages
    with _gc_paused():
        return pages.rows_page(handle, offset, pages.PAGE_ROWS if limit is None else limit, sort, descending)


def bundled_csv_text() -> str:
    return (catalog.presets_dir() / "leaderboard.csv").read_text(encoding="utf-8")


def rsrc_bundled(params=None, mode="reference", exclude_implausible=False,
                 active_source="reference", *, rank_implausible=False, today_year=None) -> dict:
    """The project's leaderboard (presets/leaderboard.csv), scored."""
    return rsrc_score_csv(bundled_csv_text(), params, mode, exclude_implausible, active_source,
                          source="presets/leaderboard.csv", rank_implausible=rank_implausible,
                          today_year=today_year)
