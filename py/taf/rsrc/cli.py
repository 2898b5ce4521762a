"""`python -m taf rsrc`: the ranked RSRC leaderboard, unscored rows listed with reasons at the end."""
from __future__ import annotations

import json
from pathlib import Path

from .. import rsrc
from ..api import sanitize


def add_parser(sub):
    p = sub.add_parser("rsrc", help="the RSRC_t training-efficiency leaderboard")
    p.add_argument("--csv", help="a leaderboard CSV (default: presets/leaderboard.csv)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE",
                   help="an RSRC parameter, e.g. ALPHA=0.6 or ACTIVE_OVERRIDES='GPT-4o=200,DeepSeek V3=37'")
    p.add_argument("--mode", choices=tuple(rsrc.MODES), default=rsrc.MODE.default)
    p.add_argument("--active-source", choices=tuple(rsrc.ACTIVE_SOURCES), default=rsrc.ACTIVE_SOURCE.default)
    p.add_argument("--exclude-implausible", action="store_true", help=rsrc.EXCLUDE_IMPLAUSIBLE.help)
    p.add_argument("--rank-implausible", action="store_true", help=rsrc.RANK_IMPLAUSIBLE.help)
    p.add_argument("--template", action="store_true",
                   help="print the CSV template (every column with its unit, one example row) and exit")
    p.add_argument("--format", choices=("table", "json", "csv", "markdown"), default="table")
    p.add_argument("--out", help="write to this file instead of standard output")


def run(args, out) -> int:
    from ..cli import _parse_sets  # one parser for --set everywhere
    if args.template:
        return _write(args, out, rsrc.rsrc_csv_template())
    params = _parse_sets(args.set)
    if args.csv:
        parsed = rsrc.parse_csv_bytes(Path(args.csv).read_bytes(), source=args.csv)
    else:
        parsed = rsrc.parse_csv_text(rsrc.bundled_csv_text(), source="presets/leaderboard.csv")
    board = rsrc.score_leaderboard(parsed, params, args.mode, args.exclude_implausible, args.active_source,
                                   rank_implausible=args.rank_implausible)
    if args.format == "json":
        rows = [{"rank": r["rank"], "model": r["model"], "architecture": r["architecture"],
                 "rsrc_t": r["rsrc_t"], "status": r["status"], "reason": r["reason"],
                 "flags": r["flags"], "implausible": r["implausible"], "checks": r["checks"],
                 "line": r["line"], "intermediate": r["intermediate"]}
                for r in board["rows"]]
        text = json.dumps(sanitize(rows, "rows", []), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    elif args.format == "csv":
        text = rsrc.to_csv(board)
    else:
        text = rsrc.to_table(board, markdown=args.format == "markdown")
    return _write(args, out, text)


def _write(args, out, text) -> int:
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        out.write(text)
    return 0
