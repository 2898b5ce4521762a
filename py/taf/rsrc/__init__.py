"""RSRC_t — the training-efficiency score over a leaderboard of models, faithful to the
reference calculator (step order and quirks included), with ingestion that keeps every row.

Standard library only: this package runs in the browser as well as in CPython.

    parse.py     CSV text / bytes / base64 upload → a columnar table (a list per column, sparse flags)
    metadata.py  parameters and run options as `taf.params.Param`, the chain of steps,
                 rsrc_parameters() and the validation of a caller's parameters
    score.py     score_leaderboard(table, params=None, mode="reference", exclude_implausible=False,
                 active_source="reference", *, rank_implausible=False, today_year=None): rows flagged
                 implausible keep their score and flags but get no rank unless rank_implausible;
                 and the calls the UI and CLI make: rsrc_score_csv, rsrc_score_upload, rsrc_bundled
    export.py    to_csv (formula injection neutralised), to_table (text or Markdown),
                 rsrc_csv_template (every column with its unit, one example row)
    progress.py  set_progress(callback): an optional hook told how far a large upload's parse and
                 score have got (the browser's worker posts it to the page); none by default
    pages.py     uploads scored compactly and kept (worker state): a page of rows at a time, any sort
                 (rsrc_rows), every row for the CSV export
    cli.py       `python -m taf rsrc`

Every name below is importable from `taf.rsrc`; a limit a test changes (CHUNK_ROWS,
MAX_FILE_BYTES) is read from the module that owns it, `taf.rsrc.parse`.
"""
from .export import (FORMULA_PREFIXES, TEMPLATE_EXAMPLE, csv_safe, rsrc_csv_export, rsrc_csv_template,
                     template_header, to_csv, to_table)
from .metadata import (ACTIVE_OVERRIDES, ACTIVE_SOURCE, ACTIVE_SOURCES, CHAIN, DEFAULT_ACTIVE_OVERRIDES,
                       DEFAULTS, EXCLUDE_IMPLAUSIBLE, MODE, MODES, OPTIONS, PARAMETERS, RANK_IMPLAUSIBLE,
                       SUMMARY, resolve_params, rsrc_parameters)
from .parse import (CHUNK_ROWS, COLUMNS, KNOWN_ARCHITECTURES, MAX_FILE_BYTES, MAX_ROWS, MAX_TEXT_CHARS,
                    MISSING_WORDS, NUMERIC, OPTIONAL_BLANK_OK, PARAMS_B_PLAUSIBLE, PLAUSIBLE, REQUIRED,
                    SCORE_INPUTS, UNITS, _read_table, parse_csv_bytes, parse_csv_text, parse_upload)
from .pages import MAX_PAGE_ROWS, PAGE_ROWS, SORT_KEYS
from .progress import PROGRESS_EVERY, set_progress
from .score import (TABLE_KEYS, bundled_csv_text, rsrc_bundled, rsrc_rows, rsrc_score_csv, rsrc_score_upload,
                    score_leaderboard, this_year)

__all__ = [
    "ACTIVE_OVERRIDES", "ACTIVE_SOURCE", "ACTIVE_SOURCES", "CHAIN", "CHUNK_ROWS", "COLUMNS",
    "DEFAULT_ACTIVE_OVERRIDES", "DEFAULTS", "EXCLUDE_IMPLAUSIBLE", "FORMULA_PREFIXES",
    "KNOWN_ARCHITECTURES", "MAX_FILE_BYTES", "MAX_PAGE_ROWS", "PAGE_ROWS", "SORT_KEYS", "rsrc_rows", "MAX_ROWS", "MAX_TEXT_CHARS", "MISSING_WORDS", "MODE",
    "MODES", "NUMERIC", "OPTIONAL_BLANK_OK", "OPTIONS", "PARAMETERS", "PARAMS_B_PLAUSIBLE", "PLAUSIBLE",
    "PROGRESS_EVERY", "RANK_IMPLAUSIBLE", "REQUIRED", "SCORE_INPUTS", "SUMMARY", "TABLE_KEYS", "TEMPLATE_EXAMPLE", "UNITS",
    "bundled_csv_text", "csv_safe", "parse_csv_bytes", "parse_csv_text", "parse_upload", "resolve_params",
    "rsrc_bundled", "rsrc_csv_export", "rsrc_csv_template", "rsrc_parameters", "rsrc_score_csv",
    "rsrc_score_upload", "score_leaderboard", "set_progress", "template_header", "this_year", "to_csv", "to_table",
]
