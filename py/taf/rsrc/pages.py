"""RSRC boards too large to hand over whole: an upload is scored once in a compact form (per row
only its score, class, reason and flag count, plus the engine's order) and kept here, in the
module's state (the worker's Python in the browser); the caller gets the summary, the caveats and
one page of rows with a handle, and asks for other pages, in any sort, with rsrc_rows. A page's
rows are built by scoring just those rows again from the kept parsed table: the same code, the
same inputs, so the same rows as a complete board would hold.

    score_paged(table, ...) → board with "rows" (the first page) and "page" {handle, offset, ...}
    rows_page(handle, offset, limit, sort, descending) / all_rows(handle) (CSV export)
"""
from __future__ import annotations

from collections import OrderedDict
from itertools import count as counter

from .. import validate
from ..errors import InputError

PAGE_ROWS = 200        # rows in a page: what the leaderboard view draws at a time
MAX_PAGE_ROWS = 5_000  # the most rows one rsrc_rows call returns
KEPT_BOARDS = 3        # scored uploads kept (each shares its parsed table with the others of its file)
SORT_KEYS = ("rank", "model", "architecture", "rsrc_t", "status", "flags")

_BOARDS: OrderedDict = OrderedDict()
_HANDLES = counter(1)
_LAST_PARSE: list = [None, None]  # [key of the upload, its parsed table]: re-scoring skips the parse


def parsed_upload(data_base64, source, parse):
    """The parsed table of an upload, reused when the same bytes come again (a parameter edit)."""
    key = (len(data_base64), hash(data_base64), source) if isinstance(data_base64, str) else None
    if key is not None and _LAST_PARSE[0] == key:
        return _LAST_PARSE[1]
    _LAST_PARSE[0] = _LAST_PARSE[1] = None  # the old table may be freed before the new one is built
    table = parse(data_base64, source)
    if key is not None:
        _LAST_PARSE[0], _LAST_PARSE[1] = key, table
    return table


def keep(table, compact: dict, run: tuple) -> dict:
    """Keep a compactly scored board; return it as the caller gets it: summary, caveats, page 1."""
    handle = f"rsrc-{next(_HANDLES)}"
    entry = {"table": table, "board": compact, "run": run, "sorted": {}}
    _BOARDS[handle] = entry
    while len(_BOARDS) > KEPT_BOARDS:
        _BOARDS.popitem(last=False)
    out = {k: v for k, v in compact.items() if k not in ("order", "ranked", "scores", "classes", "reasons",
                                                          "nflags", "mmlu_mean")}
    page = rows_page(handle)
    out["rows"], out["page"] = page["rows"], page["page"]
    return out


def _entry(handle):
    handle = validate.text("handle", handle)
    entry = _BOARDS.get(handle)
    if entry is None:
        raise InputError("handle", "this leaderboard is no longer held by the engine (only the last "
                         f"{KEPT_BOARDS} scored uploads are kept); score the file again")
    return entry


def _order(entry, sort: str, descending: bool) -> list:
    """The row numbers in a sort, as the leaderboard view sorts a small board: rows without a value
    (no rank, no score) last in the engine's order, the others by value, ties in the engine's order."""
    if (sort, descending) in entry["sorted"]:
        return entry["sorted"][(sort, descending)]
    board, table = entry["board"], entry["table"]
    order = board["order"]
    if sort == "rank":
        ranked, rest = order[:board["ranked"]], order[board["ranked"]:]
        out = (ranked[::-1] if descending else ranked) + rest
    else:
        scores = board["scores"]
        if sort == "rsrc_t":
            value = scores.__getitem__
        elif sort == "flags":
            value = board["nflags"].__getitem__
        elif sort == "status":
            reasons = board["reasons"]
            value = lambda i: ("scored" if scores[i] is not None else "unscored") + reasons[i]  # noqa: E731
        else:
            value = table[sort].__getitem__
        known = [i for i in order if value(i) is not None]
        unknown = [i for i in order if value(i) is None]
        out = sorted(known, key=value, reverse=descending) + unknown  # reverse keeps ties in order
    entry["sorted"] = {(sort, descending): out}  # one sort kept besides the engine's order
    return out


def _rows_at(entry, indices) -> list:
    """The complete rows (values, flags, checks, intermediates, rank) of the given row numbers."""
    from .score import _score_table  # the one scoring loop, over just these rows
    table, board = entry["table"], entry["board"]
    if not indices:
        return []
    sub = _subtable(table, indices)
    p, mode, active_source, exclude, rank_all, today = entry["run"]
    rows = _score_table(sub, p, mode, active_source, exclude, rank_all, today, mmlu_mean=board["mmlu_mean"])["rows"]
    by_line = {row["line"]: row for row in rows}
    rank_of = entry.get("rank_of")
    if rank_of is None:
        rank_of = entry["rank_of"] = {i: r for r, i in enumerate(board["order"][:board["ranked"]], start=1)}
    out = []
    for i in indices:
        row = by_line[table["line"][i]]
        row["rank"] = rank_of.get(i)
        out.append(row)
    return out


def _subtable(table, indices) -> dict:
    """The rows `indices` of a parsed table, renumbered 0…, as a table of their own."""
    pick = lambda column: [column[i] for i in indices]  # noqa: E731
    where = {i: j for j, i in enumerate(indices)}
    implausible = table["implausible"]
    return {"source": table.get("source", ""), "count": len(indices), "line": pick(table["line"]),
            "model": pick(table["model"]), "architecture": pick(table["architecture"]),
            "basis": pick(table["basis"]), "values": {k: pick(v) for k, v in table["values"].items()},
            "raw": pick(table["raw"]), "flags": pick(table["flags"]),
            "implausible": {where[i]: implausible[i] for i in indices if i in implausible},
            "duplicates": {"names": [], "groups": [], "group_count": 0, "rows": 0}}


def rows_page(handle, offset=0, limit=PAGE_ROWS, sort="rank", descending=False) -> dict:
    """One page of a kept board: rows offset … offset + limit in the sort asked for."""
    entry = _entry(handle)
    total = len(entry["board"]["order"])
    offset = validate.integer("offset", offset, lo=0, hi=max(total, 0))
    limit = validate.integer("limit", limit, lo=1, hi=MAX_PAGE_ROWS)
    sort = validate.choice("sort", sort, SORT_KEYS, "sort key")
    descending = validate.boolean("descending", descending)
    order = _order(entry, sort, descending)
    return {"page": {"handle": handle, "offset": offset, "limit": limit, "total": total, "sort": sort,
                     "descending": descending, "page_rows": PAGE_ROWS},
            "rows": _rows_at(entry, order[offset:offset + limit])}


def all_rows(handle, batch=MAX_PAGE_ROWS):
    """Every row of a kept board in the engine's order, built a batch at a time (CSV export)."""
    entry = _entry(handle)
    order = entry["board"]["order"]
    for start in range(0, len(order), batch):
        yield from _rows_at(entry, order[start:start + batch])
