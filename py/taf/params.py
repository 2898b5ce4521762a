"""The one parameter-metadata format: every input of a recipe, the profile, the diagnostics and
the RSRC leaderboard is a `Param` (type, unit, default, range or choices, help, aliases), so the
front end has one form builder and one validator per type (validate.py)."""
from __future__ import annotations

import math
from functools import cached_property
from typing import Any, Callable

from . import validate
from .records import record, replace


# How a form lays out its inputs, in this order. folds: the group folds away (closed, with its title)
# once a model preset or an imported config filled it — the scenario stays first and open.
GROUPS = (
    {"id": "scenario", "title": "Scenario", "folds": False},
    {"id": "mode", "title": "Mode", "folds": False},
    {"id": "parameter", "title": "Parameters", "folds": False},
    {"id": "model", "title": "Model details", "folds": True},
    {"id": "measurement", "title": "Measurements (optional)", "folds": False},
)


@record(frozen=True)
class Param:
    """One input: its type, unit, default, range or choices and a line of help."""
    name: str
    type: str                      # number | integer | boolean | choice | text
    help: str
    unit: str = ""
    default: Any = None
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    max_exclusive: bool = False
    choices: tuple | Callable | None = None   # a tuple, or a function returning the live list
    choice_noun: str = ""               # how an error names a bad choice ("GPU", "API model")
    optional: bool = False              # None is a valid value ("not measured", "use default rule")
    group: str = "scenario"             # model | scenario | measurement | parameter
    aliases: tuple = ()

    @cached_property
    def keys(self) -> tuple:
        """The spellings a caller may use: the name, then the aliases."""
        return (self.name, *self.aliases)

    def options(self) -> list:
        if callable(self.choices):
            return list(self.choices())
        return list(self.choices or ())

    @cached_property
    def binary(self) -> bool:
        """A whole number of tokens is a context length, counted in powers of two: 32k = 32,768."""
        return self.type == "integer" and self.unit == "tokens"

    @cached_property
    def lower(self) -> tuple:
        """(lowest value, open?): "greater than 0" means at least validate.SMALLEST_POSITIVE."""
        if self.min == 0 and self.min_exclusive:
            return validate.SMALLEST_POSITIVE, False
        return self.min, self.min_exclusive

    def check(self, raw):
        """The validated value of `raw` (text or number), or an InputError naming this input."""
        return self.checker(raw)

    @cached_property
    def checker(self) -> Callable:
        """check, specialised once for this input: a value already of the right type and within range
        is answered here (the validators' own common case); anything else goes to _check."""
        slow = self._check
        if self.type == "number":
            lo, lo_open = self.lower
            hi, hi_open = self.max, self.max_exclusive
            lo_f = -math.inf if lo is None else lo
            hi_f = math.inf if hi is None else hi

            def number(raw):
                if raw.__class__ is float and raw - raw == 0.0 and (lo_f < raw if lo_open else lo_f <= raw) \
                        and (raw < hi_f if hi_open else raw <= hi_f):
                    return raw
                return slow(raw)
            return number
        if self.type == "integer":
            lo_i = -math.inf if self.min is None else self.min
            hi_i = math.inf if self.max is None else self.max

            def integer(raw):
                if raw.__class__ is int and lo_i <= raw <= hi_i:
                    return raw
                return slow(raw)
            return integer
        if self.type == "choice" and isinstance(self.choices, tuple):
            listed = self.choices

            def choice(raw):
                if raw.__class__ is str and raw in listed:
                    return raw
                return slow(raw)
            return choice
        return slow

    def _check(self, raw):
        if self.type == "number":
            lo, lo_open = self.lower
            return validate.number(self.name, raw, lo=lo, hi=self.max, lo_open=lo_open, hi_open=self.max_exclusive,
                                   binary=self.binary)
        if self.type == "integer":
            return validate.integer(self.name, raw, lo=self.min, hi=self.max, binary=self.binary)
        if self.type == "boolean":
            return validate.boolean(self.name, raw)
        if self.type == "choice":
            return validate.choice(self.name, raw, self.options(), self.choice_noun or self.name)
        if self.type == "text":
            return validate.text(self.name, raw)
        raise AssertionError(self.type)

    def metadata(self) -> dict:
        """What a form is generated from (the same keys for every kind of input)."""
        meta = {"name": self.name, "type": self.type, "unit": self.unit, "default": self.default,
                "required": self.default is None and not self.optional,
                "optional": self.optional, "group": self.group, "help": self.help,
                "aliases": list(self.aliases),
                "suffix_base": 1024 if self.binary else 1000}
        if self.type in ("number", "integer"):
            lo, lo_open = self.lower if self.type == "number" else (self.min, self.min_exclusive)
            meta.update(min=lo, max=self.max, min_exclusive=lo_open, max_exclusive=self.max_exclusive)
        if self.type == "choice":
            meta["choices"] = self.options()
        return meta

    def renamed(self, **overrides) -> "Param":
        """A copy with some fields changed (a shared input re-defaulted for one recipe)."""
        return replace(self, **overrides)
