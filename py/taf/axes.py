"""Chart axes decided by the engine: the scale, the range and the ticks (value and label) a chart
draws, so the front end only positions them. Context axes tick at powers of two (1K, 4K, 16K,
128K); value axes at round steps (1, 2, 2.5 or 5 × 10^k) labelled with SI prefixes and the unit."""
from __future__ import annotations

import math

_SI = ((1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))
_COUNTS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))  # counts (parameters, tokens, users): 8B, 1.5T
# units a tick label carries (20 GB, 500 tok/s); any other unit is a count, named by the axis title
_LABELLED = {"bytes", "bytes/token", "tokens/s", "tokens/day", "FLOPs", "FLOP/s", "USD", "USD/Mtok", "USD/h"}
_SHORT_UNITS = {"bytes": "B", "bytes/token": "B/token", "tokens/s": "tok/s", "tokens/day": "tok/day",
                "FLOPs": "FLOP", "params": "", "tokens": ""}


def _trim(x: float) -> str:
    text = f"{x:.3g}"
    return text if "e" not in text else f"{x:.2e}"


def label(value: float, unit: str = "", binary: bool = False) -> str:
    """A tick label: 4K (a context), 20 GB, 1.5 Mtok/s, 8B (a count: its unit is in the axis title), 0.25."""
    if value == 0:
        return "0"
    if binary:
        for power, prefix in ((2, "M"), (1, "K")):
            if abs(value) >= 1024 ** power and value % 1024 ** power == 0:
                return f"{int(value // 1024 ** power)}{prefix}"
            if abs(value) >= 1024 ** power:
                return f"{_trim(value / 1024 ** power)}{prefix}"
        return f"{value:g}"
    short = _SHORT_UNITS.get(unit, unit) if unit in _LABELLED else ""
    for scale, prefix in (_SI if short else _COUNTS):
        if abs(value) >= scale:
            return f"{_trim(value / scale)} {prefix}{short}" if short else f"{_trim(value / scale)}{prefix}"
    text = _trim(value)
    return f"{text} {short}" if short else text


_TICKS: dict = {}  # (scale, range, unit) → ((value, label), …): tick labels are pure, so each is formatted once
_TICKS_LIMIT = 4096


def _ticks(key: tuple, values) -> list:
    """Fresh tick dicts ({"value", "label"}) for `values` (a callable giving (value, label) pairs), formatted
    once per key: a result never shares a dict with another."""
    pairs = _TICKS.get(key)
    if pairs is None:
        pairs = tuple(values())
        if len(_TICKS) >= _TICKS_LIMIT:
            _TICKS.clear()
        _TICKS[key] = pairs
    return [{"value": v, "label": text} for v, text in pairs]


def _nice_step(span: float, count: int) -> float:
    raw = span / max(1, count)
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * power >= raw:
            return m * power
    return 10 * power


def linear(lo: float, hi: float, unit: str = "", *, zero: bool = True, count: int = 5) -> dict:
    """A linear axis from 0 (or lo) to a round value at or above hi."""
    if zero:
        lo = min(0.0, lo)
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    step = _nice_step(hi - lo, count)
    start, stop = math.floor(lo / step) * step, math.ceil(hi / step - 1e-9) * step
    n = int(round((stop - start) / step)) + 1
    return {"scale": "linear", "min": start, "max": stop, "unit": unit,
            "ticks": _ticks(("linear", start, step, n, unit),
                            lambda: ((t, label(t, unit)) for t in (start + i * step for i in range(n))))}


def log2(lo: float, hi: float, unit: str = "tokens", *, count: int = 7) -> dict:
    """A log axis over whole powers of two (a context): ticks at 1K, 4K, 16K … at most `count`."""
    lo_e, hi_e = math.floor(math.log2(max(lo, 1))), math.ceil(math.log2(max(hi, 2)))
    if hi_e <= lo_e:
        hi_e = lo_e + 1
    return {"scale": "log2", "min": 2 ** lo_e, "max": 2 ** hi_e, "unit": unit,
            "ticks": _ticks(("log2", lo_e, hi_e, count, unit), lambda: _log2_ticks(lo_e, hi_e, unit, count))}


def _log2_ticks(lo_e: int, hi_e: int, unit: str, count: int):
    every = max(1, math.ceil((hi_e - lo_e) / max(1, count - 1)))
    first = lo_e - lo_e % every if lo_e % every else lo_e
    exps = [e for e in range(first, hi_e + every, every) if lo_e <= e <= hi_e]
    if exps[-1] != hi_e:
        exps.append(hi_e)  # the end of the axis is always labelled
    return ((2 ** e, label(2 ** e, unit, binary=True)) for e in exps)


def log10(lo: float, hi: float, unit: str = "", *, count: int = 7) -> dict:
    """A log axis over decades (a parameter count, a volume): ticks at 1, 10, 100 … or 1, 2, 5 × 10^k."""
    lo_e, hi_e = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    if hi_e <= lo_e:
        hi_e = lo_e + 1
    return {"scale": "log10", "min": 10 ** lo_e, "max": 10 ** hi_e, "unit": unit,
            "ticks": _ticks(("log10", lo_e, hi_e, count, unit), lambda: _log10_ticks(lo_e, hi_e, unit, count))}


def _log10_ticks(lo_e: int, hi_e: int, unit: str, count: int):
    mults = (1, 2, 5) if hi_e - lo_e <= 2 else (1,)
    every = max(1, math.ceil((hi_e - lo_e) / max(1, count - 1)))
    ticks = [m * 10 ** e for e in range(lo_e, hi_e + 1, every) for m in mults if m * 10 ** e <= 10 ** hi_e]
    return ((float(t), label(t, unit)) for t in ticks)


def spacing(lo: float, hi: float, binary: bool) -> str:
    """How points across [lo, hi] are spaced: log2 for a context, log10 across a wide positive
    range (≥ 20×), else linear."""
    if lo > 0 and hi > 0:
        if binary and max(hi, lo) / min(hi, lo) >= 4:
            return "log2"
        if max(hi, lo) / min(hi, lo) >= 20:
            return "log10"
    return "linear"


def points(lo: float, hi: float, count: int, scale: str, whole: bool) -> list:
    """`count` points from lo to hi, spaced by `scale`; whole numbers rounded and repeats dropped."""
    if count == 1 or lo == hi:
        xs = [lo]
    elif scale == "linear":
        xs = [lo + (hi - lo) * i / (count - 1) for i in range(count)]
    else:
        a, b = math.log(lo), math.log(hi)
        xs = [math.exp(a + (b - a) * i / (count - 1)) for i in range(count)]
        xs[0], xs[-1] = lo, hi
    if whole:
        xs = sorted({int(round(x)) for x in xs})
    return xs


def axis_for(values: list, unit: str, scale: str) -> dict:
    lo, hi = min(values), max(values)
    if scale == "log2":
        return log2(lo, hi, unit)
    if scale == "log10":
        return log10(lo, hi, unit)
    return linear(lo, hi, unit, zero=lo >= 0)


def fit_chart_axes(chart: dict, largest) -> dict:
    """Axes for X-FIT's memory-versus-context chart: context at powers of two up to the answer
    (the largest context that fits), memory at round steps up to the usable line."""
    contexts = [p["context"] for p in chart["series"]] + [chart["context"]]
    if isinstance(largest, (int, float)) and largest > 0:
        contexts.append(largest)
    tops = [p["weights_bytes"] + p["kv_bytes"] for p in chart["series"]]
    y_top = max([chart["usable_bytes"] * 1.1, *tops])
    return {"x": log2(min(contexts), max(contexts), "tokens"), "y": linear(0, y_top, "bytes"),
            "answer": {"context": largest, "label": f"largest that fits: {label(largest, 'tokens', binary=True)}"}
            if isinstance(largest, (int, float)) and largest > 0 else None}
