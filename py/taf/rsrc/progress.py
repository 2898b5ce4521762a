"""Progress of a long RSRC call (a large upload parsed and scored), for whoever hosts the engine:
the browser's worker installs a hook that posts it to the page; nothing is installed by default,
so CPython, the CLI and the tests run exactly as without it.

    set_progress(callback) → the previous hook; callback(done, total, stage) or None to remove it
    stage "parse": records read of `total` (the file's line count, an estimate until the last
    call, which gives the exact count as both); stage "score": rows scored of the table's rows.
    The hook is called at most every PROGRESS_EVERY records or rows, and once at the end of each
    stage (done == total). An exception in the hook is ignored: progress never fails a call.
"""
from __future__ import annotations

PROGRESS_EVERY = 65_536  # records (parse) or rows (score) between two calls of the hook

_hook = [None]


def set_progress(callback):
    """Install `callback(done, total, stage)` (None removes it); returns the hook it replaces."""
    if callback is not None and not callable(callback):
        raise TypeError("the progress hook must be callable or None")
    previous, _hook[0] = _hook[0], callback
    return previous


def hook():
    """The installed hook or None (read once per call: the loops test a local, not this module)."""
    return _hook[0]


def report(callback, done: int, total: int, stage: str) -> None:
    try:
        callback(done, max(total, done), stage)
    except Exception:  # noqa: BLE001 — progress is advisory; the call's answer matters, not the bar
        pass


def reporting(rows, callback, total: int, stage: str):
    """`rows` passed through, the hook called every PROGRESS_EVERY items and at the end."""
    from itertools import islice
    every, done = max(1, PROGRESS_EVERY), 0
    rows = iter(rows)
    while True:
        before = done
        for item in islice(rows, every):
            done += 1
            yield item
        if done == before or done >= total:
            break
        report(callback, done, total, stage)
    report(callback, done, total, stage)
