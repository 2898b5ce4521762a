"""Validation of single values: type, finiteness and range, naming the field at fault.

Every public entry point of the package funnels its inputs through these helpers, so a bad
value anywhere produces the same kind of `InputError` with the same kind of message.
"""
from __future__ import annotations

import math
from typing import Any, Iterable

from .errors import InputError


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


_PLAIN_INT_LIMIT = 10 ** 300   # ints below this convert to a finite float


def _as_number(field: str, value: Any) -> float:
    """Accept int/float (never bool) or a numeric string; return a float or raise."""
    kind = type(value)  # fast paths for the common case: an exact float or int
    if kind is float and value - value == 0.0:   # finite (inf - inf and nan - nan are nan)
        return value
    if kind is int and -_PLAIN_INT_LIMIT < value < _PLAIN_INT_LIMIT:
        return value
    if isinstance(value, bool):
        raise InputError(field, f"{field} must be a number, not a true/false value")
    if isinstance(value, (int, float)):
        number = float(value) if not isinstance(value, int) else value
    elif isinstance(value, str):
        text = value.strip().replace("_", "").replace(",", "")
        if not text:
            raise InputError(field, f"{field} is empty: enter a number")
        try:
            number = float(text)
        except ValueError:
            raise InputError(field, f"{field} must be a number; got {_describe(value)}") from None
    else:
        raise InputError(field, f"{field} must be a number; got {type(value).__name__}")
    try:
        finite = math.isfinite(number)
    except OverflowError:  # an int too large for a float
        finite = False
    if not finite:
        raise InputError(field, f"{field} must be a finite number; got {_describe(value)}")
    return number


def number(field: str, value: Any, *, lo: float | None = None, hi: float | None = None,
           lo_open: bool = False, hi_open: bool = False) -> float:
    """A finite real number within [lo, hi] (open ends where asked)."""
    if type(value) is float and value - value == 0.0 \
            and (lo is None or (value > lo if lo_open else value >= lo)) \
            and (hi is None or (value < hi if hi_open else value <= hi)):
        return value  # the common case, decided without another call
    x = float(_as_number(field, value))
    if lo is not None and (x < lo or (lo_open and x == lo)):
        bound = f"greater than {lo:g}" if lo_open else f"at least {lo:g}"
        raise InputError(field, f"{field} must be {bound}; got {x:g}")
    if hi is not None and (x > hi or (hi_open and x == hi)):
        bound = f"less than {hi:g}" if hi_open else f"at most {hi:g}"
        raise InputError(field, f"{field} must be {bound}; got {x:g}")
    return x


def integer(field: str, value: Any, *, lo: int | None = None, hi: int | None = None) -> int:
    """A whole number within [lo, hi]; 65536.0 is accepted as 65536, 2.5 is refused."""
    if type(value) is int and (lo is None or value >= lo) and (hi is None or value <= hi):
        return value  # the common case, decided without another call
    x = _as_number(field, value)
    if isinstance(x, float):
        if not x.is_integer():
            raise InputError(field, f"{field} must be a whole number; got {x:g}")
        x = int(x)
    if lo is not None and x < lo:
        raise InputError(field, f"{field} must be at least {lo:,}; got {x:,}")
    if hi is not None and x > hi:
        raise InputError(field, f"{field} must be at most {hi:,}; got {x:,}")
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
    try:
        parsed = json.loads(value, parse_constant=refuse)
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
