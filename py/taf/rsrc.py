"""RSRC_t — the training-efficiency score over a leaderboard of models, faithful to the
reference calculator (step order and quirks included), with ingestion that keeps every row.

Standard library only: this module runs in the browser as well as in CPython.

    parse_csv_text(text) / parse_csv_bytes(data) → a parsed table (rows with per-cell flags)
    score_leaderboard(parsed, params=None, mode="reference", exclude_implausible=False)
    rsrc_score_csv(text, ...)  /  rsrc_bundled(...)   — the calls the UI makes
"""
from __future__ import annotations

import csv
import gc
import io
import math
from contextlib import contextmanager

from . import catalog, validate
from .errors import InputError

# ── parameters (rsrc-formula.md) ──────────────────────────────────────────────────────────────
DEFAULT_ACTIVE_OVERRIDES = {"GPT-4o": 200.0, "DeepSeek V3": 37.0, "Mixtral 8x7B": 13.0}
PARAMETERS = (
    # name, default, min, max, help
    ("ALPHA", 0.5, 0.0, 5.0, "exponent on parameters in the FLOPs-efficiency score"),
    ("BETA", 50.0, 1e-9, 1e9, "energy normaliser"),
    ("ARCH_SCORE", 1.0, 0.0, 1e6, "multiplier on ln(active params)"),
    ("MOE_PARAM_SCALE_FACTOR", 0.8, 0.0, 1.0, "active = total × this for MoE rows without a known active count"),
    ("LEGACY_PENALTY_FACTOR", 1.2, 0.0, 100.0, "multiplies the efficiency score of old Dense rows"),
    ("LEGACY_BEFORE_YEAR", 2024, 1900, 2200, "Dense rows with Year below this get the legacy penalty"),
    ("MOE_EXPONENT", 0.48, 0.0, 5.0, "exponent on the efficiency score for MoE rows"),
    ("DENSE_EXPONENT", 0.45, 0.0, 5.0, "exponent for every other architecture"),
    ("CURRENT_YEAR", 2024, 1900, 2200, "reference year of the age decay"),
    ("AGE_DECAY_SLOPE", 0.05, 0.0, 1.0, "age decay per year"),
    ("AGE_DECAY_FLOOR", 0.8, 0.0, 10.0, "lowest age factor (there is no ceiling: newer rows get > 1)"),
    ("FLOPS_CAP_EXPONENT", 0.8, 0.0, 5.0, "FLOPs cap = Params^this × scale"),
    ("FLOPS_CAP_SCALE", 1e3, 0.0, 1e30, "FLOPs cap = Params^exponent × this"),
)
DEFAULTS = {name: default for name, default, *_ in PARAMETERS}
MODES = {
    "reference": "exactly as the reference: the FLOPs cap changes the shown FLOPs, not the score",
    "capped": "variant: the FLOPs cap is applied BEFORE the efficiency score (changes scores)",
}
ACTIVE_SOURCES = {
    "reference": "MoE total × MOE_PARAM_SCALE_FACTOR, then the three known overrides (as the reference)",
    "column": "the file's Active Parameters (B) where given, else the reference rule",
}

# ── columns ───────────────────────────────────────────────────────────────────────────────────
NUMERIC = ("params_b", "layers", "flops_pf", "mmlu", "energy", "year", "active_b")
COLUMNS = {  # key → (canonical header, accepted spellings)
    "model": ("Model", ("model", "model name", "name")),
    "architecture": ("Architecture", ("architecture", "arch")),
    "params_b": ("Parameters (B)", ("parameters (b)", "parameters", "params (b)", "params_b")),
    "layers": ("Layers", ("layers", "n_layers")),
    "flops_pf": ("Training FLOPs", ("training flops", "training flops (pf)", "flops")),
    "mmlu": ("MMLU (5-shot)", ("mmlu (5-shot)", "mmlu")),
    "energy": ("Energy/pFLOP", ("energy/pflop", "energy per pflop", "energy")),
    "year": ("Year", ("year",)),
    "active_b": ("Active Parameters (B)", ("active parameters (b)", "active params (b)", "active_b")),
    "basis": ("Basis", ("basis", "source", "source / basis", "notes")),
    "approximate": ("Approximate Fields", ("approximate fields", "approximate", "approx")),
}
REQUIRED = ("model", "architecture", "params_b", "flops_pf", "energy", "year")
SCORE_INPUTS = ("params_b", "flops_pf", "energy", "year")
OPTIONAL_BLANK_OK = {"active_b"}  # columns the project's file leaves blank where nothing is known
MISSING_WORDS = {"", "n/a", "na", "unknown", "?", "-", "—", "none", "null", "nan", "tbd"}
KNOWN_ARCHITECTURES = ("Dense", "MoE")
PLAUSIBLE = {  # column → (low, high) outside which a value is flagged implausible
    "params_b": (1e-3, 1e5), "layers": (1, 1000), "flops_pf": (1e-6, 1e12), "mmlu": (0, 100),
    "energy": (1e-6, 1e6), "year": (2010, 2035), "active_b": (1e-3, 1e5),
}
MAX_ROWS = 1_000_000
MAX_TEXT_CHARS = 50_000_000


@contextmanager
def _gc_paused():
    """Building 100k small dicts triggers many full collections of objects that all stay alive;
    pausing the cyclic collector for the duration halves the time and frees nothing less."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# ── ingestion ─────────────────────────────────────────────────────────────────────────────────
def _decode(data: bytes) -> str:
    if not data.strip():
        raise InputError("file", "the file is empty")
    if b"\x00" in data[:8192]:
        raise InputError("file", "this looks like a binary file, not CSV text (it contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError("file", f"line {line}, column {column}: not UTF-8 text "
                         f"(byte 0x{data[exc.start]:02x}); save the file as UTF-8") from None


def _header_key(cell: str):
    text = " ".join(cell.strip().lower().split())
    for key, (_, spellings) in COLUMNS.items():
        if text in spellings:
            return key
    return None


def _check_header(header: list) -> dict:
    if not header or not any(cell.strip() for cell in header):
        raise InputError("file", "line 1: no header row (expected: " + ", ".join(
            COLUMNS[k][0] for k in REQUIRED) + ")")
    if len(header) == 1:
        for delimiter, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
            if delimiter in header[0]:
                raise InputError("file", f"line 1: the columns are separated by {name}; "
                                 "a leaderboard must be comma-separated")
    positions = {}
    for index, cell in enumerate(header):
        key = _header_key(cell)
        if key and key not in positions:
            positions[key] = index
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in positions]
    if missing:
        numeric_cells = sum(1 for cell in header if _number_or_none(cell) is not None)
        if numeric_cells >= 2:
            raise InputError("file", "line 1 holds data, not a header: the first line must name "
                             "the columns (" + ", ".join(COLUMNS[k][0] for k in REQUIRED) + ")")
        raise InputError("file", f"line 1: missing required column(s): {', '.join(missing)}; "
                         f"found: {', '.join(h.strip() for h in header)}")
    return positions


def _number_or_none(text: str):
    try:
        value = float(text.strip().lstrip("~≈").rstrip("%"))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _parse_cell(key: str, text: str) -> tuple:
    """One numeric cell → (value or None, flags)."""
    raw = text.strip()
    flags = []
    if not raw and key in OPTIONAL_BLANK_OK:
        return None, []  # a blank optional cell is simply not known; no flag
    if raw.lower() in MISSING_WORDS:
        return None, ["missing"]
    body = raw
    if body[:1] in "~≈":
        body = body[1:].strip()
        flags.append("approximate")
    if body.endswith("%"):
        body = body[:-1].strip()
        flags.append("percent")
    try:
        value = float(body)
    except ValueError:
        return None, flags + ["invalid"]
    if not math.isfinite(value):
        return None, flags + ["invalid"]
    low, high = PLAUSIBLE.get(key, (-math.inf, math.inf))
    if not (low <= value <= high):
        flags.append("implausible")
    return value, flags


def parse_csv_text(text, source: str = "uploaded file") -> dict:
    """Parse leaderboard CSV text; every row is kept with per-cell flags (never dropped)."""
    text = validate.text("text", text, max_len=MAX_TEXT_CHARS)
    if not text.strip():
        raise InputError("file", "the file is empty")
    if "\x00" in text:
        raise InputError("file", "this looks like a binary file, not CSV text (it contains NUL bytes)")
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text))
    with _gc_paused():
        return _read_rows(reader, source)


def _read_rows(reader, source) -> dict:
    try:
        header = next(reader, [])
        positions = _check_header(header)
        width = len(header)
        numeric_positions = [(key, positions[key], *PLAUSIBLE.get(key, (-math.inf, math.inf)))
                             for key in NUMERIC if key in positions]
        absent = 1 << 30  # an index no record reaches: the column is not in this file
        text_positions = {"text": tuple(positions.get(k, absent) for k in ("model", "architecture",
                                                                          "basis", "approximate"))}
        rows = []
        start = reader.line_num + 1
        for record in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue  # a blank line holds nothing to keep
            rows.append(_parse_row(record, line, numeric_positions, text_positions, width))
            if len(rows) > MAX_ROWS:
                raise InputError("file", f"more than {MAX_ROWS:,} rows")
    except csv.Error as exc:
        raise InputError("file", f"line {reader.line_num}: the CSV cannot be read ({exc})") from None
    if not rows:
        raise InputError("file", "line 2: the file has a header but no rows")
    _flag_duplicates(rows)
    return {"source": validate.text("source", source), "header": [h.strip() for h in header],
            "columns": {k: COLUMNS[k][0] for k in positions}, "rows": rows}


_PLAIN_FIRST = frozenset("0123456789.-+")
_PLAIN_LAST = frozenset("0123456789.")
_NO_FLAGS: dict = {}  # shared by every row without flags; never mutated
_PERCENT, _APPROXIMATE = ("percent",), ("approximate",)  # shared flag tuples (immutable)
_NO_ROW_FLAGS = ()


def _parse_row(record, line, numeric_positions, positions, width) -> dict:
    """One CSV record → values, per-cell flags and the raw text of every cell that was not a plain
    number. Plain numbers take a path without exceptions or extra containers (100k rows < 1 s)."""
    n = len(record)
    values, flags, raw = {}, None, None
    for key, index, low, high in numeric_positions:
        text = record[index] if index < n else ""
        if text[:1] in _PLAIN_FIRST and text[-1:] in _PLAIN_LAST:
            try:
                value = float(text)
            except ValueError:
                value = None
            if value is not None and value - value == 0.0:  # finite
                values[key] = value
                if low <= value <= high:
                    continue
                flags = flags or {}
                raw = raw or {}
                flags[key], raw[key] = ["implausible"], text
                continue
        raw = raw or {}
        stripped = raw[key] = text.strip()
        quirk = _PERCENT if stripped[-1:] == "%" else _APPROXIMATE if stripped[:1] == "~" else None
        if quirk:  # the two common quirks, "78%" and "~55", without a function call
            try:
                value = float(stripped[:-1] if quirk is _PERCENT else stripped[1:])
            except ValueError:
                value = None
            if value is not None and value - value == 0.0 and low <= value <= high:
                values[key] = value
                flags = flags or {}
                flags[key] = quirk
                continue
        values[key], cell_flags = _parse_cell(key, text)
        if cell_flags:
            flags = flags or {}
            flags[key] = cell_flags
    model_index, arch_index, basis_index, approx_index = positions["text"]
    model = record[model_index].strip() if model_index < n else ""
    architecture = record[arch_index].strip() if arch_index < n else ""
    if not model:
        flags = flags or {}
        flags["model"] = ["missing"]
    if architecture not in KNOWN_ARCHITECTURES:
        flags = flags or {}
        flags["architecture"] = ["missing"] if not architecture else ["unknown architecture"]
    approximate = record[approx_index].strip() if approx_index < n else ""
    return {"line": line, "model": model, "architecture": architecture, "values": values,
            "raw": raw or _NO_FLAGS, "flags": flags or _NO_FLAGS,
            "row_flags": _NO_ROW_FLAGS if n == width else (f"has {n} fields, the header has {width}",),
            "basis": record[basis_index].strip() if basis_index < n else "",
            "approximate_declared": [a.strip() for a in approximate.replace(";", ",").split(",")
                                     if a.strip()] if approximate else _NO_ROW_FLAGS}


def _flag_duplicates(rows) -> None:
    seen = {}
    for row in rows:
        key = row["model"].strip().lower()
        if key:
            seen.setdefault(key, []).append(row["line"])
    for row in rows:
        lines = seen.get(row["model"].strip().lower(), [])
        if len(lines) > 1:
            others = ", ".join(str(n) for n in lines if n != row["line"])
            row["row_flags"] = (*row["row_flags"], f"duplicate model name (also on line {others})")


def parse_csv_bytes(data: bytes, source: str = "uploaded file") -> dict:
    """Parse raw file bytes: refuses binary and non-UTF-8 files with the line and column."""
    if not isinstance(data, (bytes, bytearray)):
        raise InputError("file", "expected the bytes of a file")
    return parse_csv_text(_decode(bytes(data)), source)


# ── scoring ───────────────────────────────────────────────────────────────────────────────────
def resolve_params(params) -> dict:
    """Defaults overlaid with the caller's values, each validated by name and range."""
    params = validate.mapping("params", params)
    out = dict(DEFAULTS)
    ranges = {name: (lo, hi) for name, _, lo, hi, _ in PARAMETERS}
    for name, value in params.items():
        if name == "ACTIVE_OVERRIDES":
            continue
        if name not in ranges:
            raise InputError(name, f"unknown RSRC parameter {name!r}; known: {', '.join(DEFAULTS)}, ACTIVE_OVERRIDES")
        lo, hi = ranges[name]
        out[name] = validate.number(name, value, lo=lo, hi=hi)
    out["ACTIVE_OVERRIDES"] = _overrides(params.get("ACTIVE_OVERRIDES", DEFAULT_ACTIVE_OVERRIDES))
    return out


def _overrides(value) -> dict:
    """A dict {model: active B}, or text 'GPT-4o=200, DeepSeek V3=37' (as the CLI gives it)."""
    if isinstance(value, str):
        pairs = {}
        for item in filter(None, (part.strip() for part in value.split(","))):
            name, sep, number = item.rpartition("=") if "=" in item else item.rpartition(":")
            if not sep or not name.strip():
                raise InputError("ACTIVE_OVERRIDES", f"expected name=value pairs; got {item!r}")
            pairs[name.strip()] = number
        value = pairs
    value = validate.mapping("ACTIVE_OVERRIDES", value)
    out = {}
    for name, number in value.items():
        try:
            out[validate.text("ACTIVE_OVERRIDES", name)] = validate.number(name, number, lo=0, hi=1e6, lo_open=True)
        except InputError as exc:
            raise InputError("ACTIVE_OVERRIDES", f"ACTIVE_OVERRIDES: {exc.message}") from None
    return out


def _reason_missing(row) -> str | None:
    values = row["values"]
    missing = [key for key in SCORE_INPUTS if values.get(key) is None]
    if not missing:
        return None
    return "missing " + ", ".join(f"{COLUMNS[key][0]} ({_raw_word(row, key)})" for key in missing)


def _raw_word(row, key) -> str:
    raw = row["raw"].get(key, "")
    return f"'{raw}'" if raw else "blank"


def make_scorer(p: dict, mode: str, active_source: str):
    """RSRC_t of one row, in the reference's step order, with the parameters bound once:
    score(row) → (status, reason, score, intermediates)."""
    alpha, beta, arch_score = p["ALPHA"], p["BETA"], p["ARCH_SCORE"]
    moe_scale, legacy_factor, legacy_before = p["MOE_PARAM_SCALE_FACTOR"], p["LEGACY_PENALTY_FACTOR"], p["LEGACY_BEFORE_YEAR"]
    moe_k, dense_k = p["MOE_EXPONENT"], p["DENSE_EXPONENT"]
    year_now, slope, floor = p["CURRENT_YEAR"], p["AGE_DECAY_SLOPE"], p["AGE_DECAY_FLOOR"]
    cap_exp, cap_scale, overrides = p["FLOPS_CAP_EXPONENT"], p["FLOPS_CAP_SCALE"], p["ACTIVE_OVERRIDES"]
    capped, use_column, log = mode == "capped", active_source == "column", math.log

    def score(row):
        v = row["values"]
        params_b, flops, energy, year = v.get("params_b"), v.get("flops_pf"), v.get("energy"), v.get("year")
        if params_b is None or flops is None or energy is None or year is None:
            return "unscored", _reason_missing(row), None, _NO_FLAGS
        cap = params_b ** cap_exp * cap_scale if params_b > 0 else 0.0
        flops_capped = flops if flops <= cap else cap
        flops_for_score = flops_capped if capped else flops
        if params_b <= 0 or flops_for_score <= 0 or energy <= 0:
            what = "Parameters (B)" if params_b <= 0 else ("Training FLOPs" if flops_for_score <= 0 else "Energy/pFLOP")
            return "unscored", f"{what} must be positive to be scored", None, _NO_FLAGS
        architecture = row["architecture"]
        is_moe = architecture == "MoE"
        efficiency = (flops_for_score / params_b ** alpha) * (energy / beta)             # step 2
        legacy = architecture == "Dense" and year < legacy_before                         # step 3
        if legacy:
            efficiency *= legacy_factor
        if is_moe:                                                                        # step 5
            active, active_basis = params_b * moe_scale, "MoE scale factor"
        else:
            active, active_basis = params_b, "total parameters"
        override = overrides.get(row["model"])
        if override is not None:
            active, active_basis = override, "known override"
        if use_column and v.get("active_b") is not None:
            active, active_basis = v["active_b"], "Active Parameters (B) column"
        age = 1 - (year_now - year) * slope                                               # step 6
        if age < floor:
            age = floor
        exponent = moe_k if is_moe else dense_k
        if efficiency <= 0:
            return "unscored", "the efficiency score is 0 (a parameter is 0)", None, _NO_FLAGS
        ln_active = log(active)
        result = (ln_active * arch_score / efficiency ** exponent) * age                  # step 7
        if result - result != 0.0:
            return "unscored", "the score overflows (values far out of range)", None, _NO_FLAGS
        return "scored", "", result, {
            "efficiency_score": efficiency, "legacy_penalty_applied": legacy, "flops_cap": cap,
            "flops_capped": flops_capped, "flops_cap_changed_value": flops_capped < flops,
            "active_params_b": active, "active_basis": active_basis, "age_decay": age,
            "exponent": exponent, "ln_active": ln_active}
    return score


_FLAG_LABELS: dict = {}


def _flag_label(key, flag) -> str:
    label = _FLAG_LABELS.get((key, flag))
    if label is None:
        label = _FLAG_LABELS[(key, flag)] = f"{COLUMNS[key][0] if key in COLUMNS else key}: {flag}"
    return label


def _cell_flags_summary(row) -> list:
    if not row["flags"]:
        return list(row["row_flags"])  # a list of its own for each row (callers may edit it)
    return [_flag_label(key, flag) for key, flags in row["flags"].items() for flag in flags] + list(row["row_flags"])


def _is_implausible(row) -> list:
    if not row["flags"]:
        return []
    return [COLUMNS[k][0] for k, flags in row["flags"].items()
            if "implausible" in flags or "unknown architecture" in flags]


def score_leaderboard(parsed: dict, params=None, mode: str = "reference",
                      exclude_implausible=False, active_source: str = "reference") -> dict:
    """Score every parsed row; scored rows ranked by RSRC_t (descending), unscored rows after."""
    parsed = validate.mapping("parsed", parsed)
    if not isinstance(parsed.get("rows"), list):
        raise InputError("parsed", "expected the result of parse_csv_text")
    p = resolve_params(params)
    mode = validate.choice("mode", mode, MODES, "mode")
    active_source = validate.choice("active_source", active_source, ACTIVE_SOURCES, "active source")
    exclude = validate.boolean("exclude_implausible", exclude_implausible)
    with _gc_paused():
        return _score_rows(parsed, p, mode, active_source, exclude)


def _score_rows(parsed, p, mode, active_source, exclude) -> dict:
    mmlu_known = [r["values"].get("mmlu") for r in parsed["rows"] if r["values"].get("mmlu") is not None]
    mmlu_mean = sum(mmlu_known) / len(mmlu_known) if mmlu_known else None
    out_rows = []
    append, score_one = out_rows.append, make_scorer(p, mode, active_source)
    for row in parsed["rows"]:
        implausible = _is_implausible(row) if row["flags"] else ()
        if exclude and implausible:
            status, reason, score, intermediate = ("unscored", "excluded as implausible ("
                                                   + ", ".join(implausible) + ")", None, _NO_FLAGS)
        else:
            status, reason, score, intermediate = score_one(row)
        mmlu = row["values"].get("mmlu")
        append({
            "line": row["line"], "model": row["model"], "architecture": row["architecture"],
            "rsrc_t": score, "status": status, "reason": reason,
            "flags": _cell_flags_summary(row), "implausible": bool(implausible),
            "values": row["values"], "raw": row["raw"], "basis": row["basis"],
            "mmlu_filled": mmlu if mmlu is not None else mmlu_mean,
            "intermediate": intermediate})
    ranked = sorted((r for r in out_rows if r["status"] == "scored"), key=lambda r: -r["rsrc_t"])
    for rank, row in enumerate(ranked, start=1):
        row["rank"] = rank
    unscored = [r for r in out_rows if r["status"] != "scored"]
    for row in unscored:
        row["rank"] = None
    dupes = sorted({r["model"] for r in out_rows if any(f.startswith("duplicate") for f in r["flags"])})
    return {"source": parsed.get("source", ""), "mode": mode, "mode_text": MODES[mode],
            "active_source": active_source, "exclude_implausible": exclude,
            "params": {k: v for k, v in p.items()},
            "rows": ranked + unscored,
            "summary": {"rows_in": len(parsed["rows"]), "rows_out": len(out_rows),
                        "scored": len(ranked), "unscored": len(unscored),
                        "flagged_implausible": sum(1 for r in out_rows if r["implausible"]),
                        "duplicates": dupes},
            "caveats": [{"code": "approximate_data", "text": "Most figures are analyst estimates and "
                         "extrapolations (see the file's basis notes); use RSRC to compare, not to measure."}]
            + ([{"code": "flops_cap_no_effect", "text": "Reference mode: the FLOPs cap changes the shown "
                 "FLOPs only; the score was computed before the cap (a quirk of the reference)."}]
               if mode == "reference" else [])}


# ── the calls the UI and CLI make ─────────────────────────────────────────────────────────────
def rsrc_parameters() -> dict:
    """Metadata for the controls: every parameter with default, range and help; modes."""
    return {"params": [{"name": n, "default": d, "min": lo, "max": hi, "help": h}
                       for n, d, lo, hi, h in PARAMETERS],
            "active_overrides": dict(DEFAULT_ACTIVE_OVERRIDES), "modes": MODES,
            "active_sources": ACTIVE_SOURCES}


def rsrc_score_csv(text, params=None, mode="reference", exclude_implausible=False,
                   active_source="reference", source="uploaded file") -> dict:
    """Parse and score CSV text in one call (one pause of the cyclic collector for both)."""
    with _gc_paused():
        return score_leaderboard(parse_csv_text(text, source), params, mode, exclude_implausible,
                                 active_source)


def rsrc_score_upload(data_base64, params=None, mode="reference", exclude_implausible=False,
                      active_source="reference", source="uploaded file") -> dict:
    """Score an uploaded file sent as base64 bytes, so binary and non-UTF-8 files are judged here."""
    import base64
    import binascii
    text = validate.text("data_base64", data_base64, max_len=MAX_TEXT_CHARS * 2)
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InputError("file", "the upload is not valid base64") from None
    return score_leaderboard(parse_csv_bytes(data, source), params, mode, exclude_implausible,
                             active_source)


def bundled_csv_text() -> str:
    return (catalog.presets_dir() / "leaderboard.csv").read_text(encoding="utf-8")


def rsrc_bundled(params=None, mode="reference", exclude_implausible=False,
                 active_source="reference") -> dict:
    """The project's leaderboard (presets/leaderboard.csv), scored."""
    return rsrc_score_csv(bundled_csv_text(), params, mode, exclude_implausible, active_source,
                          source="presets/leaderboard.csv")


# ── export ────────────────────────────────────────────────────────────────────────────────────
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A text cell a spreadsheet will not run as a formula: risky first characters get a '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def to_csv(board: dict) -> str:
    """The ranked leaderboard as CSV, with text cells neutralised against formula injection."""
    board = validate.mapping("board", board)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["rank", "model", "architecture", "rsrc_t", "status", "reason", "flags", "line"])
    for row in board.get("rows", []):
        writer.writerow([row.get("rank") or "", csv_safe(row.get("model")),
                         csv_safe(row.get("architecture")),
                         "" if row.get("rsrc_t") is None else repr(row["rsrc_t"]),
                         row.get("status"), csv_safe(row.get("reason")),
                         csv_safe("; ".join(row.get("flags", []))), row.get("line")])
    return out.getvalue()


def rsrc_csv_export(board) -> str:
    """to_csv for the JSON boundary (the UI's "Download CSV")."""
    return to_csv(board)
