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


def positive(value, field, hi):
    """A positive number (at least validate.SMALLEST_POSITIVE: a subnormal would divide by zero later)."""
    return validate.number(field, value, lo=validate.SMALLEST_POSITIVE, hi=hi)


def nonneg(value, field, hi):
    return validate.number(field, value, lo=0, hi=hi)


def fraction(value, field):
    """A number in (0, 1]."""
    return validate.number(field, value, lo=0, hi=1, lo_open=True)


def count(value, field, hi, lo=1):
    return validate.integer(field, value, lo=lo, hi=hi)


def flag(value, field):
    return validate.boolean(field, value)


__all__ = ["InputError", "validate", "L"]
