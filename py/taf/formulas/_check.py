"""Short names for the validators the formula modules use on every argument."""
from .. import validate
from ..errors import InputError
from . import limits as L


def gamma(value, field="gamma"):
    return validate.number(field, value, lo=-L.MAX_GAMMA, hi=L.MAX_GAMMA)


def theta(value, field="theta"):
    return validate.number(field, value, lo=0, hi=L.MAX_THETA, lo_open=True)


def context(value, field="T_eval"):
    return validate.number(field, value, lo=0, hi=L.MAX_CONTEXT, lo_open=True)


def params(value, field="N_params"):
    """A parameter count: at least one parameter (a subnormal count would divide by zero)."""
    return validate.number(field, value, lo=1, hi=L.MAX_PARAMS)


def params_m(value, field="n_params_M"):
    return validate.number(field, value, lo=1e-3, hi=L.MAX_PARAMS / 1e6)


def tokens(value, field="D_tokens"):
    return validate.number(field, value, lo=0, hi=L.MAX_TOKENS, lo_open=True)


_SMALLEST = validate.SMALLEST_POSITIVE


# The common case — a float (or, for count, an int) already within finite bounds — is answered here,
# exactly as validate.number / validate.integer would answer it; anything else goes to them.

def positive(value, field, hi):
    """A positive number (at least validate.SMALLEST_POSITIVE: a subnormal would divide by zero later)."""
    if value.__class__ is float and _SMALLEST <= value <= hi:
        return value
    return validate.number(field, value, lo=_SMALLEST, hi=hi)


def nonneg(value, field, hi):
    if value.__class__ is float and 0 <= value <= hi:
        return value
    return validate.number(field, value, lo=0, hi=hi)


def fraction(value, field):
    """A number in (0, 1]."""
    if value.__class__ is float and 0 < value <= 1:
        return value
    return validate.number(field, value, lo=0, hi=1, lo_open=True)


def count(value, field, hi, lo=1):
    if value.__class__ is int and lo <= value <= hi:
        return value
    return validate.integer(field, value, lo=lo, hi=hi)


def flag(value, field):
    return validate.boolean(field, value)


__all__ = ["InputError", "validate", "L"]
