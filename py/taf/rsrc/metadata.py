"""RSRC parameters, run options and the chain of formula steps, in the project's one metadata
format (`taf.params.Param`), and `rsrc_parameters()`: everything the leaderboard view is built
from. The front end holds no formula, default or limit of its own.

Parameters and steps restate the reference calculator (rsrc-formula.md).
"""
from __future__ import annotations

from .. import validate
from ..errors import InputError
from ..params import Param
from . import pages, parse


def _parameter(name, default, lo, hi, help, unit=""):
    return Param(name, "number", help, unit=unit, default=default, min=lo, max=hi, group="parameter")


# ── parameters (rsrc-formula.md) ──────────────────────────────────────────────────────────────
PARAMETERS = (
    _parameter("ALPHA", 0.5, 0.0, 5.0, "exponent on parameters in the FLOPs-efficiency score"),
    _parameter("BETA", 50.0, 1e-9, 1e9, "energy normaliser"),
    _parameter("ARCH_SCORE", 1.0, 0.0, 1e6, "multiplier on ln(active params)"),
    _parameter("MOE_PARAM_SCALE_FACTOR", 0.8, 0.0, 1.0,
               "active = total × this for MoE rows without a known active count"),
    _parameter("LEGACY_PENALTY_FACTOR", 1.2, 0.0, 100.0, "multiplies the efficiency score of old Dense rows"),
    _parameter("LEGACY_BEFORE_YEAR", 2024, 1900, 2200, "Dense rows with Year below this get the legacy penalty",
               unit="year"),
    _parameter("MOE_EXPONENT", 0.48, 0.0, 5.0, "exponent on the efficiency score for MoE rows"),
    _parameter("DENSE_EXPONENT", 0.45, 0.0, 5.0, "exponent for every other architecture"),
    _parameter("CURRENT_YEAR", 2024, 1900, 2200, "reference year of the age decay", unit="year"),
    _parameter("AGE_DECAY_SLOPE", 0.05, 0.0, 1.0, "age decay per year"),
    _parameter("AGE_DECAY_FLOOR", 0.8, 0.0, 10.0, "lowest age factor (there is no ceiling: newer rows get > 1)"),
    _parameter("FLOPS_CAP_EXPONENT", 0.8, 0.0, 5.0, "FLOPs cap = Params^this × scale"),
    _parameter("FLOPS_CAP_SCALE", 1e3, 0.0, 1e30, "FLOPs cap = Params^exponent × this"),
)
DEFAULTS = {p.name: p.default for p in PARAMETERS}
_BY_NAME = {p.name: p for p in PARAMETERS}

DEFAULT_ACTIVE_OVERRIDES = {"GPT-4o": 200.0, "DeepSeek V3": 37.0, "Mixtral 8x7B": 13.0}
# Param has no mapping type: this one is described in the common shape (metadata only) and
# validated by _overrides below, which also reads the text form the control and the CLI give.
ACTIVE_OVERRIDES = Param(
    "ACTIVE_OVERRIDES", "text", "known active parameters (B) by model name, as name=value pairs",
    unit="B", default=", ".join(f"{name}={value:g}" for name, value in DEFAULT_ACTIVE_OVERRIDES.items()),
    optional=True, group="parameter")

# ── run options ───────────────────────────────────────────────────────────────────────────────
MODES = {
    "reference": "exactly as the reference: the FLOPs cap changes the shown FLOPs, not the score",
    "capped": "variant: the FLOPs cap is applied BEFORE the efficiency score (changes scores)",
}
ACTIVE_SOURCES = {
    "reference": "MoE total × MOE_PARAM_SCALE_FACTOR, then the three known overrides (as the reference)",
    "column": "the file's Active Parameters (B) where given, else the reference rule",
}
MODE = Param("mode", "choice", "FLOPs cap: where it enters the score", default="reference",
             choices=tuple(MODES), choice_noun="mode", group="mode")
ACTIVE_SOURCE = Param("active_source", "choice", "Active parameters: where a row's count comes from",
                      default="reference", choices=tuple(ACTIVE_SOURCES), choice_noun="active source",
                      group="mode")
EXCLUDE_IMPLAUSIBLE = Param(
    "exclude_implausible", "boolean",
    "Leave implausible rows unscored (still listed, with the reason). Off: they keep their score and "
    "flags, ranked or not as rank_implausible says. On, it wins over rank_implausible: a row without "
    "a score has no rank.",
    default=False, group="mode")
RANK_IMPLAUSIBLE = Param(
    "rank_implausible", "boolean",
    "Rank implausible rows too. Off (default): a row flagged implausible (a value out of range, an "
    "unknown architecture, a release year after this year, active parameters out of range or above "
    "the total, a negative RSRC_t) keeps its score and flags but gets no rank, and is listed after "
    "the ranked rows. No effect when exclude_implausible leaves those rows unscored.",
    default=False, group="mode")
OPTIONS = (MODE, ACTIVE_SOURCE, EXCLUDE_IMPLAUSIBLE, RANK_IMPLAUSIBLE)

# ── the chain of steps, in the reference's order ──────────────────────────────────────────────
SUMMARY = ("RSRC_t = ln(active params) × ARCH_SCORE ÷ E^k × age decay, with E = FLOPs ÷ Params^α × "
           "Energy ÷ β — computed exactly as the reference calculator, quirks included. Figures are "
           "approximate by design; rows flagged implausible are listed with their scores but not ranked "
           "unless you ask (rank_implausible).")
# Each step: name, formula, text (what it means), and `row`: how one scored row shows the step,
# as pieces — text with {key} (a number from the row's values or intermediates, or rsrc_t),
# {key:plain} (shown as it is), or {"if": key, "then": text, "else": text} on a true/false key.
CHAIN = (
    {"step": 1, "name": "Inputs",
     "formula": "~x, ≈x, x% → x;  N/A, Unknown, blank → missing;  MMLU gaps → the column mean",
     "text": "A row missing Parameters (B), Training FLOPs, Energy/pFLOP or Year is kept and listed "
             "unscored with the field named (the reference crashes on its own 'Unknown' cells). "
             "Training FLOPs are in PetaFLOPs; Energy/pFLOP is an opaque energy index; MMLU is not "
             "used by the score.",
     "row": ["inputs: {params_b} B params, {flops_pf} PF training FLOPs, {energy} energy/pFLOP, "
             "year {year:plain}"]},
    {"step": 2, "name": "FLOPs efficiency E",
     "formula": "E = (Training FLOPs ÷ Params^ALPHA) × (Energy/pFLOP ÷ BETA)",
     "text": "Training compute per parameter, weighted by energy: a lower E scores higher.",
     "row": ["efficiency E = {efficiency_score}",
             {"if": "legacy_penalty_applied", "then": " (legacy penalty applied)", "else": ""}]},
    {"step": 3, "name": "Legacy penalty",
     "formula": "E × LEGACY_PENALTY_FACTOR where Architecture = Dense and Year < LEGACY_BEFORE_YEAR",
     "text": "Older dense models are penalised; the E of step 2 includes it.",
     "row": None},
    {"step": 4, "name": "FLOPs cap",
     "formula": "cap = Params^FLOPS_CAP_EXPONENT × FLOPS_CAP_SCALE;  FLOPs = min(FLOPs, cap)",
     "text": "In reference mode the cap comes after step 2, so it changes the shown FLOPs and not the "
             "score (a quirk of the reference); capped mode applies it before step 2.",
     "row": ["FLOPs cap = {flops_cap} PF (",
             {"if": "flops_cap_changed_value", "then": "would cut FLOPs to {flops_capped}", "else": "not binding"},
             ")"]},
    {"step": 5, "name": "Active parameters",
     "formula": "active = Params × MOE_PARAM_SCALE_FACTOR for MoE rows, else Params; then ACTIVE_OVERRIDES",
     "text": "Known active counts replace the rule by model name; with the active source 'column' the "
             "file's Active Parameters (B) wins where given.",
     "row": ["active = {active_params_b} B (from {active_basis})"]},
    {"step": 6, "name": "Age decay A",
     "formula": "A = max(AGE_DECAY_FLOOR, 1 − (CURRENT_YEAR − Year) × AGE_DECAY_SLOPE)",
     "text": "There is no ceiling: a row newer than CURRENT_YEAR gets A > 1.",
     "row": ["age decay A = {age_decay}, exponent k = {exponent}"]},
    {"step": 7, "name": "RSRC_t",
     "formula": "RSRC_t = ln(active) × ARCH_SCORE ÷ E^k × A;  k = MOE_EXPONENT for MoE rows, DENSE_EXPONENT otherwise",
     "text": "Higher is better: scored rows are ranked by RSRC_t (descending); rows flagged implausible "
             "(step 8) follow with their scores and no rank; unscored rows come last.",
     "row": ["RSRC_t = ln(active) × ARCH_SCORE ÷ E^k × A = {rsrc_t}"]},
    {"step": 8, "name": "Plausibility",
     "formula": "implausible if a cell is outside its range (Parameters (B) and active in "
                f"[{parse.PARAMS_B_PLAUSIBLE[0]:g}, {parse.PARAMS_B_PLAUSIBLE[1]:,.0f}] B, i.e. 1 M to 100 T), "
                "Architecture ∉ {Dense, MoE}, Year > this year, active > total, or RSRC_t < 0",
     "text": "A row flagged implausible keeps its score and its flags (each with its reason) but is not "
             "ranked unless rank_implausible is on: a joke row, a future release year (the age decay has "
             "no ceiling, so it inflates the score) or a sub-1 B model (ln(active) < 0 inverts the order: a "
             "more efficient run scores lower) would otherwise claim a rank the data cannot support.",
     "row": None},
)


def rsrc_parameters() -> dict:
    """Metadata for the leaderboard view: every parameter and run option as Param metadata, the
    overrides control, modes and active sources with their texts, the upload limit and the chain."""
    return {"params": [p.metadata() for p in PARAMETERS],
            "options": [p.metadata() for p in OPTIONS],
            "overrides": ACTIVE_OVERRIDES.metadata(),
            "active_overrides": dict(DEFAULT_ACTIVE_OVERRIDES), "modes": MODES,
            "active_sources": ACTIVE_SOURCES, "max_file_bytes": parse.MAX_FILE_BYTES,
            "page_rows": pages.PAGE_ROWS, "max_page_rows": pages.MAX_PAGE_ROWS, "sort_keys": list(pages.SORT_KEYS),
            "summary": SUMMARY, "chain": [dict(step) for step in CHAIN]}


# ── validation of what a caller gives ─────────────────────────────────────────────────────────
def resolve_params(params) -> dict:
    """Defaults overlaid with the caller's values, each validated by its Param (name and range)."""
    params = validate.mapping("params", params)
    out = dict(DEFAULTS)
    for name, value in params.items():
        if name == "ACTIVE_OVERRIDES":
            continue
        param = _BY_NAME.get(name)
        if param is None:
            raise InputError(name, f"unknown RSRC parameter {name!r}; known: {', '.join(DEFAULTS)}, ACTIVE_OVERRIDES")
        out[name] = param.check(value)
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
