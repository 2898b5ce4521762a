"""RSRC ingestion: leaderboard CSV (text, bytes or a base64 upload) → a columnar *table* — one
list per column, sparse per-cell flags, the line every row came from. Every row is kept; a cell
that is not a number is flagged and its text kept, never dropped.

    parse_csv_text(text) / parse_csv_bytes(data) / parse_upload(data_base64) → the table
"""
# csv is imported inside the functions that use it: the page starts ~10 ms sooner
from __future__ import annotations

import gc
import io
import math
from collections import Counter
from contextlib import contextmanager
from itertools import islice, repeat
from operator import itemgetter

from .. import validate
from ..errors import InputError
from . import progress as _progress

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
    "active_b": ("Active Parameters (B)", ("active parameters (b)", "active params (b)", "active_b",
                                           "active parameters")),
    "basis": ("Basis", ("basis", "source", "source / basis", "notes")),
    "approximate": ("Approximate Fields", ("approximate fields", "approximate", "approx")),
}
REQUIRED = ("model", "architecture", "params_b", "flops_pf", "energy", "year")
SCORE_INPUTS = ("params_b", "flops_pf", "energy", "year")
OPTIONAL_BLANK_OK = {"active_b"}  # columns the project's file leaves blank where nothing is known
MISSING_WORDS = {"", "n/a", "na", "unknown", "?", "-", "—", "none", "null", "nan", "tbd"}
KNOWN_ARCHITECTURES = ("Dense", "MoE")
# Every column's unit, as the CSV template's header writes it ("Training FLOPs [PF]"), and what it
# means. A header may carry its unit in square brackets; a numeric column whose bracket names
# another unit is refused with both units named (a file in FLOPs or millions is never misread).
UNITS = {  # key → (unit, what the column holds)
    "model": ("text", "the model's name, one row per model"),
    "architecture": ("Dense or MoE", "Dense or MoE; anything else is flagged as an unknown architecture"),
    "params_b": ("B", "total parameters, in billions"),
    "layers": ("count", "number of layers (not used by the score)"),
    "flops_pf": ("PF", "training compute in petaFLOPs, as the reference calculator reads it"),
    "mmlu": ("%", "MMLU 5-shot accuracy in percent (not used by the score)"),
    "energy": ("index", "energy per petaFLOP: an opaque index, as in the original leaderboard"),
    "year": ("year", "release year, four digits"),
    "active_b": ("B", "active parameters per token, in billions; blank where not published"),
    "basis": ("text", "where the row's figures come from"),
    "approximate": ("text", "the columns whose figures are estimates, separated by ;"),
}
# Parameter counts are in billions (B). 1e-3 B = 1 M parameters: below that a row is not a
# language model of any leaderboard (the smallest published LMs start in the millions: GPT-2
# small 124 M, TinyStories 1–33 M) and is almost always a unit slip (millions typed as billions).
# 1e5 B = 100 T parameters: fifty times the largest counts ever reported (≈ 1.6–2 T: Switch-C,
# GPT-4 estimates), so a larger figure is a typo or a joke (the original file's 1e12-B "Potato").
PARAMS_B_PLAUSIBLE = (1e-3, 1e5)
PLAUSIBLE = {  # column → (low, high) outside which a value is flagged implausible
    "params_b": PARAMS_B_PLAUSIBLE, "layers": (1, 1000), "flops_pf": (1e-6, 1e12), "mmlu": (0, 100),
    "energy": (1e-6, 1e6), "year": (2010, 2035), "active_b": PARAMS_B_PLAUSIBLE,
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
    """The column a header cell names, or None. A trailing "[unit]" is read apart: the name must be
    a known spelling and, for a numeric column, the unit the column's (UNITS), else InputError."""
    text = " ".join(cell.strip().lower().split())
    unit = None
    if text.endswith("]") and "[" in text:
        text, _, unit = text[:-1].rpartition("[")
        text, unit = text.strip(), unit.strip()
    for key, (name, spellings) in COLUMNS.items():
        if text in spellings:
            if unit is not None and key in NUMERIC and unit != UNITS[key][0].lower():
                expected, meaning = UNITS[key]
                raise InputError("file", f"line 1: column {cell.strip()!r} is in {unit!r}; {name} is read "
                                 f"in [{expected}] ({meaning}): convert the column or write its unit as [{expected}]")
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
    import csv
    text = validate.text("text", text, max_len=MAX_TEXT_CHARS)
    if not text.strip():
        raise InputError("file", "the file is empty")
    if "\x00" in text:
        raise InputError("file", "this looks like a binary file, not CSV text (it contains NUL bytes)")
    text = text.lstrip("\ufeff")
    if "\r" in text:  # Windows (CR LF) and classic Mac (CR) line ends read as LF
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(text), strict=True)  # strict: a quote never closed is an error, not a cell
    hook = _progress.hook()  # None unless a host installed one (the browser's worker)
    expected = text.count("\n") + (not text.endswith("\n")) - 1 if hook is not None else 0  # records, about
    with _gc_paused():
        return _read_table(reader, source, one_line_per_record='"' not in text, progress=hook, expected=expected)


CHUNK_ROWS = 256  # records read per pass: a chunk's cells stay in the CPU cache (≈40% faster at 100k rows)


def _read_table(reader, source, one_line_per_record=False, *, progress=None, expected=0) -> dict:
    """Header → chunks of records → columns → parsed columns → flag summaries. Each chunk is read
    column by column, so a column of plain numbers costs one float() per cell at C speed.

    The table: "line", "model", "architecture", "basis", "approximate_declared": one entry per row;
    "values": {column: [float or None per row]}; "cell_flags": {column: {row: flags}};
    "raw": [{column: text of a cell that is not a number} per row];
    "flags": [("Column: flag", ..., row notes) per row]; "implausible": {row: (column names)};
    "duplicates": the name groups that occur more than once (see _note_duplicates). Rows are
    numbered from 0. progress(done, expected, "parse"), if given, is called every
    progress.PROGRESS_EVERY records and at the end (with the exact count as both)."""
    import csv
    try:
        header = next(reader, [])
        positions = _check_header(header)
        numeric_keys = [key for key in NUMERIC if key in positions]
        text_keys = [key for key in ("model", "architecture", "basis", "approximate") if key in positions]
        values = {key: [] for key in numeric_keys}
        cell_flags, cell_raw = {key: {} for key in numeric_keys}, {key: {} for key in numeric_keys}
        texts = {key: [] for key in text_keys}
        lines, row_flags, blank = [], {}, []
        next_report, reported = (_progress.PROGRESS_EVERY if progress is not None else math.inf), None
        for records, record_lines in _record_chunks(reader, one_line_per_record, len(header), blank):
            offset = len(lines)
            lines += record_lines
            if len(lines) >= next_report:
                _progress.report(progress, len(lines), expected, "parse")
                next_report, reported = len(lines) + _progress.PROGRESS_EVERY, (len(lines), max(expected, len(lines)))
            cells = _columns(records, positions, len(header), offset, row_flags)
            for key in numeric_keys:
                column_values, column_flags, column_raw = _parse_numeric_column(key, cells[key], offset)
                values[key] += column_values
                cell_flags[key].update(column_flags)
                cell_raw[key].update(column_raw)
            for key in text_keys:
                texts[key] += map(str.strip, cells[key])
    except csv.Error as exc:
        raise InputError("file", _quote_error(str(exc), 1, reader.line_num)) from None  # the header's record
    if progress is not None and reported != (len(lines), len(lines)):  # the end, with the exact count
        _progress.report(progress, len(lines), len(lines), "parse")
    if not lines:
        raise InputError("file", "line 2: the file has a header but no rows" + (
            f" ({len(blank):,} blank record(s) of only commas or spaces)" if blank else ""))
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
            "implausible": implausible, "duplicates": duplicates,
            "blank_records": {"count": len(blank), "lines": blank[:BLANK_LINES_LISTED]}}


def _record_chunks(reader, one_line_per_record: bool, width: int, blank: list):
    """The records that hold something, CHUNK_ROWS at a time, each chunk with the line every record
    starts on. Empty lines are skipped; a record of only commas or spaces (a blank record) is not a
    row but its line is appended to `blank` (the summary counts and names them). Without quoted
    cells every record is one line, so a chunk is taken whole and its line numbers counted;
    otherwise record by record, and a quote that is never closed, or a quoted cell that joins
    lines into a record with another field count than the header's (a stray quote), refuses the
    file naming the line the quote opened on: nothing after it is swallowed into one cell."""
    import csv
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
                blank += [lines[i] for i, record in enumerate(records) if record and not "".join(record).strip()]
                records, lines = [records[i] for i in kept], [lines[i] for i in kept]
        else:
            records, lines = [], []
            while True:
                try:
                    record = next(reader, None)
                except csv.Error as exc:
                    raise InputError("file", _quote_error(str(exc), start, reader.line_num)) from None
                if record is None:
                    break
                end = reader.line_num
                if end > start and len(record) != width and any("\n" in cell for cell in record):
                    raise InputError("file", f"line {start}: a quoted cell runs from line {start} to line {end}, "
                                     f"making one record of {len(record)} fields (the header has {width}): a stray "
                                     "quote (\") joins the lines into one cell; close the quote or remove it")
                if "".join(record).strip():
                    records.append(record)
                    lines.append(start)
                elif record:
                    blank.append(start)
                start = end + 1
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


def _quote_error(message: str, start: int, end: int) -> str:
    """The words for a record the CSV reader (strict about quotes) cannot read."""
    if "unexpected end of data" in message:
        return (f"line {start}: a quote (\") opens a cell on this line and is never closed, so the rest of "
                f"the file (lines {start}–{end}) would be read as one cell; close the quote or remove it")
    if "expected after" in message and end > start:
        return (f"line {start}: a quote (\") opens a cell on this line and closes on line {end} with text after "
                "it: a stray quote joins the lines into one cell; close the quote or remove it")
    if "expected after" in message:
        return (f"line {end}: a quoted cell has text after its closing quote ({message}); quote the whole "
                "cell and double any quote inside it (\"\")")
    return f"line {end}: the CSV cannot be read ({message})"


BLANK_LINES_LISTED = 20  # the blank records' lines the summary lists


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


DUPLICATE_LINES_LISTED = 20   # the lines a duplicate-name note lists ("… and N more" after them)
DUPLICATE_GROUPS_LISTED = 20  # the name groups the summary lists one by one ("… and N more groups")


def _note_duplicates(models, lines, row_flags) -> dict:
    """Rows sharing a model name (case-insensitive) are reported, not merged, in linear time: one
    note per name group (the name, how many rows, the first DUPLICATE_LINES_LISTED lines) and on
    each of its rows one shared flag naming the count and the first line.
    Returns {"names", "groups" (the first DUPLICATE_GROUPS_LISTED), "group_count", "rows"}."""
    folded = list(map(str.lower, models))
    repeated = {name for name, count in Counter(folded).items() if count > 1 and name}
    if not repeated:
        return {"names": [], "groups": [], "group_count": 0, "rows": 0}
    rows_of = {}
    for i, name in enumerate(folded):
        if name in repeated:
            rows_of.setdefault(name, []).append(i)
    groups, involved = [], 0
    for rows in rows_of.values():  # in the order of each name's first row
        involved += len(rows)
        first = lines[rows[0]]
        note = (f"duplicate model name ({len(rows):,} rows share it; first on line {first})",)
        for i in rows:
            row_flags[i] = row_flags[i] + note if i in row_flags else note
        if len(groups) < DUPLICATE_GROUPS_LISTED:
            listed = [lines[j] for j in rows[:DUPLICATE_LINES_LISTED]]
            more = len(rows) - len(listed)
            name = models[rows[0]]
            groups.append({"name": name, "count": len(rows), "lines": listed, "more_lines": more,
                           "text": f"duplicate model name {name!r}: {len(rows):,} rows, on lines "
                                   + ", ".join(map(str, listed)) + (f" … and {more:,} more" if more else "")})
    return {"names": sorted(g["name"] for g in groups), "groups": groups, "group_count": len(rows_of),
            "rows": involved}


def parse_csv_bytes(data: bytes, source: str = "uploaded file") -> dict:
    """Parse raw file bytes: refuses binary and non-UTF-8 files with the line and column."""
    if not isinstance(data, (bytes, bytearray)):
        raise InputError("file", "expected the bytes of a file")
    return parse_csv_text(_decode(bytes(data)), source)



def parse_upload(data_base64, source: str = "uploaded file") -> dict:
    """Parse an upload sent as base64 bytes, so binary and non-UTF-8 files are judged here;
    a file over MAX_FILE_BYTES is refused with its size."""
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
    return parse_csv_bytes(data, source)
