"""RSRC export: the ranked leaderboard as CSV (text cells neutralised against formula injection),
as a text table or as Markdown; the CSV template (every column with its unit, one example row)."""
# csv is imported inside the functions that use it: the page starts ~10 ms sooner
from __future__ import annotations

import io

from .. import validate
from ..errors import InputError
from . import parse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A text cell a spreadsheet will not run as a formula: risky first characters get a '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def to_csv(board: dict, rows=None) -> str:
    """The ranked leaderboard as CSV, with text cells neutralised against formula injection; `rows`
    (an iterable) replaces the board's rows (every row of a paged upload)."""
    import csv
    board = validate.mapping("board", board) if rows is None else {"rows": rows}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["rank", "model", "architecture", "rsrc_t", "status", "reason", "flags", "line",
                     "implausible"])
    for row in board.get("rows", []):  # every row: a scored row without a rank has an empty rank
        writer.writerow([row.get("rank") or "", csv_safe(row.get("model")),
                         csv_safe(row.get("architecture")),
                         "" if row.get("rsrc_t") is None else repr(row["rsrc_t"]),
                         row.get("status"), csv_safe(row.get("reason")),
                         csv_safe("; ".join(row.get("flags", []))), row.get("line"),
                         "true" if row.get("implausible") else "false"])
    return out.getvalue()


def rsrc_csv_export(board=None, handle=None) -> str:
    """to_csv for the JSON boundary (the UI's "Download CSV"): a complete board, or by `handle` (or a
    board whose "page" names one) every row of an upload scored by rsrc_score_upload, not one page."""
    if handle is None and isinstance(board, dict) and isinstance(board.get("page"), dict):
        handle = board["page"].get("handle")
    if handle is not None:
        from .pages import all_rows
        return to_csv({}, all_rows(handle))
    if board is None:
        raise InputError("board", "give the board to export, or the handle of a scored upload")
    return to_csv(board)


# The template's one example row, by column key (a MoE model with a published active count, so
# every column shows a value); figures like the bundled file's, the year in the past.
TEMPLATE_EXAMPLE = {
    "model": "Example MoE (replace this row)", "architecture": "MoE", "params_b": "46.7", "layers": "32",
    "flops_pf": "500.0", "mmlu": "70.6", "energy": "45.0", "year": "2024", "active_b": "12.9",
    "basis": "where each figure comes from (paper, model card, estimate)",
    "approximate": "Training FLOPs; Energy/pFLOP",
}


def template_header(key: str) -> str:
    """A column's name with its unit in square brackets: "Training FLOPs [PF]", "Parameters [B]"."""
    name = parse.COLUMNS[key][0]
    if name.endswith(" (B)"):  # the unit is written once, in the brackets
        name = name[:-4]
    return f"{name} [{parse.UNITS[key][0]}]"


def rsrc_csv_template() -> str:
    """A CSV template for a leaderboard of your own: every column the parser reads, in order, with
    its unit in the header, and one example row. It parses back as one scored row."""
    import csv
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([template_header(key) for key in parse.COLUMNS])
    writer.writerow([TEMPLATE_EXAMPLE[key] for key in parse.COLUMNS])
    return out.getvalue()


def to_table(board: dict, markdown: bool = False) -> str:
    """The ranked rows as an aligned text table (or Markdown), then the unscored rows with their
    reasons and the duplicate names (the CLI's table and markdown formats)."""
    scored = [r for r in board["rows"] if r["status"] == "scored"]
    unscored = [r for r in board["rows"] if r["status"] != "scored"]
    head = ["rank", "model", "architecture", "RSRC_t", "flags"]
    body = [[str(r["rank"]) if r["rank"] is not None else "—", r["model"], r["architecture"], f"{r['rsrc_t']:.6g}", "; ".join(r["flags"])]
            for r in scored]
    lines = []
    if markdown:
        lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in body]
    else:
        widths = [max(len(h), *(len(row[i]) for row in body)) if body else len(h) for i, h in enumerate(head)]
        lines.append("  ".join(h.ljust(w) for h, w in zip(head, widths)).rstrip())
        lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in body]
    s = board["summary"]
    lines += ["", f"{s['rows_in']} rows in, {s['rows_out']} out: {s['scored']} scored, "
              f"{s['unscored']} not scored (mode: {board['mode']})"]
    not_ranked = [r for r in scored if r["rank"] is None]
    if not_ranked:
        lines.append(f"not ranked ({len(not_ranked)} flagged implausible, listed with their scores; "
                     "--rank-implausible ranks them):")
        lines += [f"{'- ' if markdown else '  '}line {r['line']}: {r['model'] or '(no name)'} — "
                  + "; ".join(c["text"] for c in r.get("checks", ())) for r in not_ranked]
    if unscored:
        lines.append("not scored:")
        lines += [f"{'- ' if markdown else '  '}line {r['line']}: {r['model'] or '(no name)'} — {r['reason']}"
                  for r in unscored]
    if s.get("blank_records"):
        lines.append(f"{'- ' if markdown else ''}{s['blank_records']:,} blank record(s) of only commas or spaces, "
                     "on line(s) " + ", ".join(map(str, s["blank_record_lines"]))
                     + (" …" if s["blank_records"] > len(s["blank_record_lines"]) else ""))
    for note in s.get("duplicate_notes", ()):
        lines.append(f"{'- ' if markdown else ''}{note['text']}")
    hidden = s.get("duplicate_groups", 0) - len(s.get("duplicate_notes", ()))
    if hidden > 0:
        lines.append(f"{'- ' if markdown else ''}… and {hidden:,} more duplicate name group(s)")
    return "\n".join(lines) + "\n"
