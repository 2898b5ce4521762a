"""RSRC_t — the training-efficiency score over a leaderboard of models, faithful to the
reference calculator (step order and quirks included), with ingestion that keeps every row.

Standard library only: this module runs in the browser as well as in CPython.

    parse_csv_text(text) / parse_csv_bytes(data) → a parsed table (a list per column, sparse flags)
    score_leaderboard(parsed, params=None, mode="reference", exclude_implausible=False)
    rsrc_score_csv(text, ...)  /  rsrc_bundled(...)   — the calls the UI makes
"""
from __future__ import annotations

import csv
import gc
import io
import math
from collections import Counter
from contextlib import contextmanager
from itertools import islice, repeat
from operator import itemgetter

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
MAX_FILE_BYTES = 50_000_000  # an uploaded leaderboard: 50 MB is about a million rows


@contextmanager
def _gc_paused():
    """Building 100k rows triggers many full collections of objects that all stay alive; pausing
    the cyclic collector for the duration leaves one pass at the end and frees nothing less."""
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


_MISSING, _INVALID, _IMPLAUSIBLE = ("missing",), ("invalid",), ("implausible",)
_PERCENT, _APPROXIMATE = ("percent",), ("approximate",)
_UNKNOWN_ARCHITECTURE = ("unknown architecture",)
_NO_FLAGS: dict = {}  # shared by every row without flags or raw cells; never mutated
_NO_ROW_FLAGS = ()
_PLAIN_FIRST = frozenset("0123456789.-+")
_PLAIN_LAST = frozenset("0123456789.")


def _parse_cell(key: str, text: str) -> tuple:
    """One numeric cell → (value or None, flags): ~ and ≈ mean approximate, a trailing % is
    dropped, missing words and blanks are missing, values outside PLAUSIBLE are implausible."""
    raw = text.strip()
    if not raw and key in OPTIONAL_BLANK_OK:
        return None, ()  # a blank optional cell is simply not known; no flag
    if raw.lower() in MISSING_WORDS:
        return None, _MISSING
    body, flags = raw, ()
    if body[:1] in "~≈":
        body, flags = body[1:].strip(), _APPROXIMATE
    if body.endswith("%"):
        body, flags = body[:-1].strip(), flags + _PERCENT
    try:
        value = float(body)
    except ValueError:
        return None, flags + _INVALID
    if not math.isfinite(value):
        return None, flags + _INVALID
    low, high = PLAUSIBLE.get(key, (-math.inf, math.inf))
    if not (low <= value <= high):
        flags += _IMPLAUSIBLE
    return value, flags


def parse_csv_text(text, source: str = "uploaded file") -> dict:
    """Parse leaderboard CSV text into a table: one list per column (every row kept, never dropped),
    the line each row came from, and sparse per-cell flags, raw texts and per-row notes."""
    text = validate.text("text", text, max_len=MAX_TEXT_CHARS)
    if not text.strip():
        raise InputError("file", "the file is empty")
    if "\x00" in text:
        raise InputError("file", "this looks like a binary file, not CSV text (it contains NUL bytes)")
    text = text.lstrip("\ufeff")
    if "\r" in text:  # Windows (CR LF) and classic Mac (CR) line ends read as LF
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(text))
    with _gc_paused():
        return _read_table(reader, source, one_line_per_record='"' not in text)


CHUNK_ROWS = 256  # records read per pass: a chunk's cells stay in the CPU cache (≈40% faster at 100k rows)


def _read_table(reader, source, one_line_per_record=False) -> dict:
    """Header → chunks of records → columns → parsed columns → flag summaries. Each chunk is read
    column by column, so a column of plain numbers costs one float() per cell at C speed.

    The table: "line", "model", "architecture", "basis", "approximate_declared": one entry per row;
    "values": {column: [float or None per row]}; "cell_flags": {column: {row: flags}};
    "raw": [{column: text of a cell that is not a number} per row];
    "flags": [("Column: flag", ..., row notes) per row]; "implausible": {row: (column names)};
    "duplicates": the model names that occur more than once. Rows are numbered from 0."""
    try:
        header = next(reader, [])
        positions = _check_header(header)
        numeric_keys = [key for key in NUMERIC if key in positions]
        text_keys = [key for key in ("model", "architecture", "basis", "approximate") if key in positions]
        values = {key: [] for key in numeric_keys}
        cell_flags, cell_raw = {key: {} for key in numeric_keys}, {key: {} for key in numeric_keys}
        texts = {key: [] for key in text_keys}
        lines, row_flags = [], {}
        for records, record_lines in _record_chunks(reader, one_line_per_record):
            offset = len(lines)
            lines += record_lines
            cells = _columns(records, positions, len(header), offset, row_flags)
            for key in numeric_keys:
                column_values, column_flags, column_raw = _parse_numeric_column(key, cells[key], offset)
                values[key] += column_values
                cell_flags[key].update(column_flags)
                cell_raw[key].update(column_raw)
            for key in text_keys:
                texts[key] += map(str.strip, cells[key])
    except csv.Error as exc:
        raise InputError("file", f"line {reader.line_num}: the CSV cannot be read ({exc})") from None
    if not lines:
        raise InputError("file", "line 2: the file has a header but no rows")
    models, architectures, count = texts["model"], texts["architecture"], len(lines)
    cell_flags["model"] = {i: _MISSING for i, model in enumerate(models) if not model}
    cell_flags["architecture"] = {i: _UNKNOWN_ARCHITECTURE if architecture else _MISSING
                                  for i, architecture in enumerate(architectures)
                                  if architecture not in KNOWN_ARCHITECTURES}
    flag_labels, implausible = _flag_summaries(cell_flags)
    duplicates = _note_duplicates(models, lines, row_flags)
    return {"source": validate.text("source", source), "header": [h.strip() for h in header],
            "columns": {k: COLUMNS[k][0] for k in positions}, "count": count, "line": lines,
            "model": models, "architecture": architectures, "basis": texts.get("basis") or [""] * count,
            "approximate_declared": (list(map(_declared_list, texts["approximate"])) if "approximate" in texts
                                     else [_NO_ROW_FLAGS] * count),
            "values": values, "cell_flags": cell_flags, "raw": _aligned(_by_row(cell_raw), count, _NO_FLAGS),
            "flags": _row_flags_list(flag_labels, row_flags, count),
            "implausible": implausible, "duplicates": duplicates}


def _record_chunks(reader, one_line_per_record: bool):
    """The records that hold something (blank lines are skipped), CHUNK_ROWS at a time, each
    chunk with the line every record starts on. Without quoted cells every record is one line,
    so a chunk is taken whole and its line numbers counted; otherwise record by record."""
    start, total = reader.line_num + 1, 0
    while True:
        if one_line_per_record:
            records = list(islice(reader, CHUNK_ROWS))
            if not records:
                return
            lines = list(range(start, start + len(records)))
            start += len(records)
            if not (all(records) and all(map(str.strip, map(itemgetter(0), records)))):
                kept = [i for i, record in enumerate(records) if "".join(record).strip()]
                records, lines = [records[i] for i in kept], [lines[i] for i in kept]
        else:
            records, lines = [], []
            for record in reader:
                if "".join(record).strip():
                    records.append(record)
                    lines.append(start)
                start = reader.line_num + 1
                if len(records) == CHUNK_ROWS:
                    break
            if not records:
                return
        if not records:
            continue  # a chunk of blank lines; more may follow
        total += len(records)
        if total > MAX_ROWS:
            raise InputError("file", f"more than {MAX_ROWS:,} rows")
        yield records, lines


def _columns(records, positions, width, offset, row_flags) -> dict:
    """The cells of each known column of a chunk; a record with a field count other than the
    header's gets a note (row offset + i), and a record too short for a column reads blank."""
    odd = [i for i, record in enumerate(records) if len(record) != width]
    if odd:
        needed = max(positions.values()) + 1
        for i in odd:
            row_flags[offset + i] = (f"has {len(records[i])} fields, the header has {width}",)
            if len(records[i]) < needed:
                records[i] = records[i] + [""] * (needed - len(records[i]))
    if not odd:  # every record as wide as the header: transpose them whole
        columns = list(zip(*records))
        return {key: columns[index] for key, index in positions.items()}
    take = itemgetter(*positions.values())
    return dict(zip(positions, zip(*map(take, records))))


def _parse_numeric_column(key, cells, offset=0) -> tuple:
    """One numeric column of a chunk → (values, {row: flags}, {row: text of a cell that is not a
    number}), rows numbered from offset. Plain, finite numbers are read by one map(float), an
    all-"78%" column likewise; otherwise cell by cell, plain numbers without a function call."""
    low, high = PLAUSIBLE[key]
    values = _bulk_floats(cells)
    if values is not None:
        return values, _implausible(values, low, high, offset), {}
    if all(map(str.endswith, cells, repeat("%"))):  # e.g. an MMLU column written as "78.5%"
        values = _bulk_floats([text[:-1] for text in cells])
        if values is not None and not _implausible(values, low, high, offset):
            return values, dict.fromkeys(range(offset, offset + len(cells)), _PERCENT), {}
    values, flags, raw = [], {}, {}
    append = values.append
    for i, text in enumerate(cells, offset):
        if text[:1] in _PLAIN_FIRST and text[-1:] in _PLAIN_LAST:
            try:
                value = float(text)
            except ValueError:
                value = None
            if value is not None and value - value == 0.0:  # finite
                append(value)
                if not (low <= value <= high):
                    flags[i] = _IMPLAUSIBLE
                continue
        value, cell_flags = _parse_cell(key, text)
        append(value)
        if cell_flags:
            flags[i] = cell_flags
            if value is None:
                raw[i] = text.strip()
    return values, flags, raw


def _bulk_floats(cells):
    """Every cell as a finite float in one C-speed pass, or None if any cell is not a plain,
    finite number (the caller then reads the column cell by cell)."""
    try:
        values = list(map(float, cells))
    except ValueError:
        return None
    return values if all(map(math.isfinite, values)) else None


def _implausible(values, low, high, offset) -> dict:
    """{row: ("implausible",)} for the values outside [low, high] (usually none: min and max tell)."""
    if low <= min(values) and max(values) <= high:
        return {}
    return {i: _IMPLAUSIBLE for i, value in enumerate(values, offset) if not low <= value <= high}


def _by_row(per_column: dict) -> dict:
    """{column: {row: x}} → {row: {column: x}}, columns in their given order."""
    out = {}
    for key, cells in per_column.items():
        for i, item in cells.items():
            row = out.get(i)
            if row is None:
                out[i] = {key: item}
            else:
                row[key] = item
    return out


_IMPLAUSIBLE_FLAGS = frozenset(("implausible", "unknown architecture"))


def _flag_summaries(cell_flags: dict) -> tuple:
    """{row: ("Column: flag", ...)} and {row: (names of columns flagged implausible)}, in column
    order. Rows with the same flags share one tuple, so a board of 100k flagged rows holds a
    handful of label tuples, not 100k lists."""
    labels, implausible, joined = {}, {}, {}
    for key, column in cell_flags.items():
        name, seen = COLUMNS[key][0], {}
        for i, flags in column.items():
            summary = seen.get(flags)
            if summary is None:
                summary = seen[flags] = (tuple(f"{name}: {flag}" for flag in flags),
                                         (name,) if _IMPLAUSIBLE_FLAGS.intersection(flags) else None)
            row_labels, bad = summary
            labels[i] = _joined(joined, labels[i], row_labels) if i in labels else row_labels
            if bad:
                implausible[i] = _joined(joined, implausible[i], bad) if i in implausible else bad
    return labels, implausible


def _joined(memo: dict, first: tuple, second: tuple) -> tuple:
    """first + second, one shared tuple per distinct pair."""
    both = memo.get((first, second))
    if both is None:
        both = memo[(first, second)] = first + second
    return both


def _aligned(sparse: dict, count: int, empty) -> list:
    """{row: x} → a list with x at each listed row and the shared `empty` elsewhere."""
    out = [empty] * count
    for i, item in sparse.items():
        out[i] = item
    return out


def _row_flags_list(flag_labels: dict, row_flags: dict, count: int) -> list:
    """Per row: the cell flag labels, then the row's own notes (field count, duplicate name)."""
    out = _aligned(flag_labels, count, _NO_ROW_FLAGS)
    for i, notes in row_flags.items():
        out[i] = out[i] + notes
    return out


def _declared_list(text: str):
    """The Approximate Fields cell ("MMLU; Energy") → ["MMLU", "Energy"]."""
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()] or _NO_ROW_FLAGS


def _note_duplicates(models, lines, row_flags) -> list:
    """Rows sharing a model name (case-insensitive) are reported, not merged: each gets a note
    naming the other lines. Returns the names involved."""
    folded = list(map(str.lower, models))
    repeated = {name for name, count in Counter(folded).items() if count > 1 and name}
    rows_of = {}
    for i, name in enumerate(folded):
        if name in repeated:
            rows_of.setdefault(name, []).append(i)
    names = set()
    for rows in rows_of.values():
        for i in rows:
            others = ", ".join(str(lines[j]) for j in rows if j != i)
            row_flags[i] = row_flags.get(i, _NO_ROW_FLAGS) + (f"duplicate model name (also on line {others})",)
            names.add(models[i])
    return sorted(names)


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
    mode = validate.choice("mode", mode, MODES, "mode")
    active_source = validate.choice("active_source", active_source, ACTIVE_SOURCES, "active source")
    exclude = validate.boolean("exclude_implausible", exclude_implausible)
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
def rsrc_parameters() -> dict:
    """Metadata for the controls: every parameter with default, range and help; modes."""
    return {"params": [{"name": n, "default": d, "min": lo, "max": hi, "help": h}
                       for n, d, lo, hi, h in PARAMETERS],
            "active_overrides": dict(DEFAULT_ACTIVE_OVERRIDES), "modes": MODES,
            "active_sources": ACTIVE_SOURCES, "max_file_bytes": MAX_FILE_BYTES}


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
    text = validate.text("data_base64", data_base64, max_len=MAX_FILE_BYTES * 2)
    if len(text) * 3 // 4 > MAX_FILE_BYTES:
        raise InputError("file", f"the file is too large ({len(text) * 3 / 4 / 1e6:.1f} MB; "
                         f"at most {MAX_FILE_BYTES / 1e6:.0f} MB)")
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
