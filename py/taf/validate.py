"""Validation of single values: type, finiteness and range, naming the field at fault.

Every public entry point of the package funnels its inputs through these helpers, so a bad
value anywhere produces the same kind of `InputError` with the same kind of message.
"""
from __future__ import annotations

import math
import re
from typing import Any, Iterable

from .errors import InputError


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?([eE][+-]?\d+)?")
SMALLEST_POSITIVE = 1e-12  # "greater than 0" means at least this: a subnormal input would divide by zero later
_PLAIN_INT_LIMIT = 10 ** 300   # ints below this convert to a finite float


# A number people type: 32k, 128K, 1M, 8B, 70e9, 1.5T, 80GB, 2GiB, 90 %. The suffix scales it:
# k/K, M, G, T, P by 1e3 … 1e15 and B (billion) by 1e9 — or by 1024, 1024², … where the input
# counts in powers of two (a context length: 32k = 32,768 tokens) or the suffix says so (GiB).
# A trailing B after a prefix (GB, MiB) names bytes and does not scale; % divides by 100.
_SUFFIXED = re.compile(r"(?P<num>[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*"
                       r"(?:(?P<pct>%)|(?P<pre>[kKmMgGtTpP])(?P<bin>i)?(?P<byte>[bB])?|(?P<billion>[bB]))\s*")
_POWERS = {"k": 1, "m": 2, "g": 3, "t": 4, "p": 5}
EXAMPLES = "such as 32768, 32k, 1.5M, 8B, 80GB or 90%"


def _suffixed(text: str, binary: bool):
    """The value of `text` with a suffix (see _SUFFIXED), or None if it has none."""
    match = _SUFFIXED.fullmatch(text)
    if not match:
        return None
    number = float(match["num"])
    if match["pct"]:
        return number / 100
    if match["billion"]:
        return number * 1e9
    power = _POWERS[match["pre"].lower()]
    if binary or match["bin"]:
        whole = number * 1024 ** power
    else:
        whole = number * 1000 ** power
    return int(whole) if abs(whole) < _PLAIN_INT_LIMIT and whole == int(whole) else whole


def _as_number(field: str, value: Any, binary: bool = False) -> float:
    """Accept int/float (never bool) or a numeric string (with a suffix: see _SUFFIXED); return a
    number or raise. binary: k, M, G mean 1024, 1024², 1024³ (a context length)."""
    kind = type(value)  # fast paths for the common case: an exact float or int
    if kind is float and value - value == 0.0:   # finite (inf - inf and nan - nan are nan)
        return value
    if kind is int and -_PLAIN_INT_LIMIT < value < _PLAIN_INT_LIMIT:
        return value
    if isinstance(value, bool):
        raise InputError(field, f"{field} must be a number, not a true/false value; type digits {EXAMPLES}")
    if isinstance(value, (int, float)):
        number = float(value) if not isinstance(value, int) else value
    elif isinstance(value, str):
        text = value.strip().replace("_", "")
        if "," in text:  # a thousands separator (1,000,000), never a decimal comma (1,5 is not 15)
            if not _THOUSANDS.fullmatch(text.rstrip("kKmMgGtTpPiIbB% ")):
                raise InputError(field, f"{field} must be a number; got {_describe(value)} — write decimals "
                                 "with a point (1.5); a comma only between thousands (1,000,000)")
            text = text.replace(",", "")
        if not text:
            raise InputError(field, f"{field} is empty: enter a number {EXAMPLES}")
        try:
            number = float(text)
            if len(text) < 300 and re.fullmatch(r"[+-]?\d+", text):
                number = int(text)
        except ValueError:
            number = _suffixed(text, binary)
            if number is None:
                raise InputError(field, f"{field} must be a number; got {_describe(value)} — type one "
                                 f"{EXAMPLES}") from None
    else:
        raise InputError(field, f"{field} must be a number; got {type(value).__name__}")
    try:
        finite = math.isfinite(number)
    except OverflowError:  # an int too large for a float
        finite = False
    if not finite:
        raise InputError(field, f"{field} must be a finite number; got {_describe(value)} — type one {EXAMPLES}")
    return number


def _hint_above(x: float, hi: float) -> str:
    """What to type instead of a value above the limit: a percentage typed for a fraction → the fraction."""
    if hi <= 1 < x <= 100:
        return f"; did you mean {x / 100:g}?"
    return f"; type {hi:g} or less"


def _hint_below(x: float, lo: float, lo_open: bool) -> str:
    if lo_open or lo == SMALLEST_POSITIVE:
        return f"; type a value above {0 if lo == SMALLEST_POSITIVE else lo:g}"
    return f"; type {lo:g} or more"


_EXACT = 2 ** 53  # whole numbers up to here are exact as floats


def number(field: str, value: Any, *, lo: float | None = None, hi: float | None = None,
           lo_open: bool = False, hi_open: bool = False, binary: bool = False) -> float:
    """A finite real number within [lo, hi] (open ends where asked)."""
    if type(value) is float and value - value == 0.0 \
            and (lo is None or (value > lo if lo_open else value >= lo)) \
            and (hi is None or (value < hi if hi_open else value <= hi)):
        return value  # the common case, decided without another call
    if type(value) is int and -_EXACT <= value <= _EXACT and (lo is None or (value > lo if lo_open else value >= lo)) \
            and (hi is None or (value < hi if hi_open else value <= hi)):
        return float(value)  # a whole number within finite bounds (a context, a count): as a float
    x = float(_as_number(field, value, binary))
    if lo is not None and (x < lo or (lo_open and x == lo)):
        bound = f"greater than {lo:g}" if lo_open else ("greater than 0" if lo == SMALLEST_POSITIVE else f"at least {lo:g}")
        raise InputError(field, f"{field} must be {bound}; got {x:g}{_hint_below(x, lo, lo_open)}")
    if hi is not None and (x > hi or (hi_open and x == hi)):
        bound = f"less than {hi:g}" if hi_open else f"at most {hi:g}"
        raise InputError(field, f"{field} must be {bound}; got {x:g}{_hint_above(x, hi)}")
    return x


def integer(field: str, value: Any, *, lo: int | None = None, hi: int | None = None, binary: bool = False) -> int:
    """A whole number within [lo, hi]; 65536.0 is accepted as 65536, 2.5 is refused."""
    if type(value) is int and (lo is None or value >= lo) and (hi is None or value <= hi):
        return value  # the common case, decided without another call
    x = _as_number(field, value, binary)
    if isinstance(x, float):
        if not x.is_integer():
            raise InputError(field, f"{field} must be a whole number; got {x:g} — did you mean {math.floor(x):,} or {math.ceil(x):,}?")
        x = int(x)
    if lo is not None and x < lo:
        raise InputError(field, f"{field} must be at least {lo:,}; got {x:,}; type {lo:,} or more")
    if hi is not None and x > hi:
        raise InputError(field, f"{field} must be at most {hi:,}; got {x:,}; type {hi:,} or less")
    return x


_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


def boolean(field: str, value: Any) -> bool:
    """true/false; also the strings a form or URL produces (true/false, 1/0, yes/no, on/off)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise InputError(field, f"{field} must be true or false; got {_describe(value)}")


def choice(field: str, value: Any, options: Iterable[str], what: str = "value") -> str:
    """One of a fixed list of names; the error lists them all."""
    if type(value) is str and isinstance(options, (tuple, list, dict)) and value in options:
        return value  # the common case, decided without listing the options
    options = list(options)
    if isinstance(value, str):
        if value in options:
            return value
        folded = {o.lower(): o for o in options}
        if value.strip().lower() in folded:
            return folded[value.strip().lower()]
    raise InputError(field, f"unknown {what} {_describe(value)}; known: {', '.join(options)}")


def text(field: str, value: Any, *, max_len: int = 200) -> str:
    if not isinstance(value, str):
        raise InputError(field, f"{field} must be text; got {type(value).__name__}")
    if len(value) > max_len:
        raise InputError(field, f"{field} is too long ({len(value)} characters, at most {max_len})")
    return value


MAX_JSON_DEPTH = 64          # configs nest 3–4 levels, requests 5: far below any stack limit
MAX_JSON_INT_DIGITS = 309    # a whole number beyond float range is out of range everywhere here
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """How deeply brackets nest in JSON text (strings skipped), found without parsing it."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:  # the common case: cannot be too deep
        return 0
    depth = deepest = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def json_object(field: str, value: Any, *, max_len: int, what: str = "text") -> dict:
    """Strict JSON text that must hold an object: no NaN/Infinity, bounded size and depth."""
    import json

    if not isinstance(value, str):
        raise InputError(field, f"the {what} must be JSON text")
    if len(value) > max_len:
        raise InputError(field, f"the {what} is too large ({len(value):,} characters, at most {max_len:,})")
    if not value.strip():
        raise InputError(field, f"the {what} is empty")

    def refuse(name):
        raise InputError(field, f"the {what} contains {name}, which is not valid JSON")

    def whole(digits):
        if len(digits.lstrip("-")) > MAX_JSON_INT_DIGITS:
            raise InputError(field, f"the {what} holds an integer of {len(digits):,} digits; numbers "
                             f"beyond {MAX_JSON_INT_DIGITS} digits are out of range")
        return int(digits)
    depth = json_depth(value)
    if depth > MAX_JSON_DEPTH:  # checked before parsing: the same answer in Pyodide and CPython
        raise InputError(field, f"the {what} is nested {depth:,} levels deep (at most {MAX_JSON_DEPTH})")
    try:
        parsed = json.loads(value, parse_constant=refuse, parse_int=whole)
    except json.JSONDecodeError as exc:
        raise InputError(field, f"the {what} is not valid JSON: {exc.msg} "
                         f"(line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise InputError(field, f"the {what} is nested too deeply") from None
    if not isinstance(parsed, dict):
        raise InputError(field, f"the {what} must be a JSON object {{...}}")
    return parsed


def mapping(field: str, value: Any) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(field, f"{field} must be an object of name: value pairs")
    for key in value:
        if not isinstance(key, str):
            raise InputError(field, f"{field} has a non-text key {_describe(key)}")
    return value
