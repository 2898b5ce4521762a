"""RSRC_t — the training-efficiency score over a leaderboard of models, faithful to the
reference calculator (step order and quirks included), with ingestion that keeps every row.

Standard library only: this package runs in the browser as well as in CPython.

    parse.py     CSV text / bytes / base64 upload → a columnar table (a list per column, sparse flags)
    metadata.py  parameters and run options as `taf.params.Param`, the chain of steps,
                 rsrc_parameters() and the validation of a caller's parameters
    score.py     score_leaderboard(table, params=None, mode="reference", exclude_implausible=False)
                 and the calls the UI and CLI make: rsrc_score_csv, rsrc_score_upload, rsrc_bundled
    export.py    to_csv (formula injection neutralised), to_table (text or Markdown)
    cli.py       `python -m taf rsrc`

Every name below is importable from `taf.rsrc`; a limit a test changes (CHUNK_ROWS,
MAX_FILE_BYTES) is read from the module that owns it, `taf.rsrc.parse`.
"""
from .export import FORMULA_PREFIXES, csv_safe, rsrc_csv_export, to_csv, to_table
from .metadata import (ACTIVE_OVERRIDES, ACTIVE_SOURCE, ACTIVE_SOURCES, CHAIN, DEFAULT_ACTIVE_OVERRIDES,
                       DEFAULTS, EXCLUDE_IMPLAUSIBLE, MODE, MODES, OPTIONS, PARAMETERS, SUMMARY,
                       resolve_params, rsrc_parameters)
from .parse import (CHUNK_ROWS, COLUMNS, KNOWN_ARCHITECTURES, MAX_FILE_BYTES, MAX_ROWS, MAX_TEXT_CHARS,
                    MISSING_WORDS, NUMERIC, OPTIONAL_BLANK_OK, PLAUSIBLE, REQUIRED, SCORE_INPUTS,
                    _read_table, parse_csv_bytes, parse_csv_text, parse_upload)
from .score import (TABLE_KEYS, bundled_csv_text, rsrc_bundled, rsrc_score_csv, rsrc_score_upload,
                    score_leaderboard)

__all__ = [
    "ACTIVE_OVERRIDES", "ACTIVE_SOURCE", "ACTIVE_SOURCES", "CHAIN", "CHUNK_ROWS", "COLUMNS",
    "DEFAULT_ACTIVE_OVERRIDES", "DEFAULTS", "EXCLUDE_IMPLAUSIBLE", "FORMULA_PREFIXES",
    "KNOWN_ARCHITECTURES", "MAX_FILE_BYTES", "MAX_ROWS", "MAX_TEXT_CHARS", "MISSING_WORDS", "MODE",
    "MODES", "NUMERIC", "OPTIONAL_BLANK_OK", "OPTIONS", "PARAMETERS", "PLAUSIBLE", "REQUIRED",
    "SCORE_INPUTS", "SUMMARY", "TABLE_KEYS", "bundled_csv_text", "csv_safe", "parse_csv_bytes",
    "parse_csv_text", "parse_upload", "resolve_params", "rsrc_bundled", "rsrc_csv_export",
    "rsrc_parameters", "rsrc_score_csv", "rsrc_score_upload", "score_leaderboard", "to_csv", "to_table",
]
