"""Records: classes made of named fields with defaults (what the standard library's dataclasses give),
written here because Pyodide ships the standard library as source: importing dataclasses compiles it
at every page start, about 35 ms of the engine's start-up for four decorators.

    @record(frozen=True)
    class Key:
        field: str
        lo: float = 0

gives Key(field, lo=0) with keyword or positional arguments, equality and (frozen) hashing by the
fields in order, a repr, and `replace(key, lo=1)` for a changed copy. A default that must not be
shared between instances is written `Factory(list)`. Core layer: imports nothing from taf."""
from __future__ import annotations


class FrozenError(AttributeError):
    """An assignment to a field of a frozen record."""


class Factory:
    """A default made fresh for every instance (a list, a dict)."""

    def __init__(self, make):
        self.make = make


def record(cls=None, *, frozen: bool = False):
    """Make `cls` a record of its annotated fields (in order; a class attribute is the default)."""
    if cls is None:
        return lambda c: record(c, frozen=frozen)
    names = tuple(name for base in reversed(cls.__mro__) for name in base.__dict__.get("__annotations__", {}))
    names = tuple(dict.fromkeys(names))
    defaults = {name: getattr(cls, name) for name in names if hasattr(cls, name)}
    missing_after_default = [n for i, n in enumerate(names) if n not in defaults and any(m in defaults for m in names[:i])]
    if missing_after_default:
        raise TypeError(f"{cls.__name__}: field {missing_after_default[0]!r} without a default follows one with a default")

    def __init__(self, *args, **kwargs):
        if len(args) > len(names):
            raise TypeError(f"{cls.__name__}() takes {len(names)} fields, {len(args)} given")
        values = dict(zip(names, args))
        for key, value in kwargs.items():
            if key not in names:
                raise TypeError(f"{cls.__name__}() got an unexpected field {key!r}")
            if key in values:
                raise TypeError(f"{cls.__name__}() got field {key!r} twice")
            values[key] = value
        for name in names:
            if name not in values:
                if name not in defaults:
                    raise TypeError(f"{cls.__name__}() missing field {name!r}")
                default = defaults[name]
                values[name] = default.make() if isinstance(default, Factory) else default
            object.__setattr__(self, name, values[name])

    def __repr__(self):
        return f"{cls.__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in names)})"

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in names)

    cls.__init__, cls.__repr__, cls.__eq__ = __init__, __repr__, __eq__
    cls.__record_fields__ = names
    if frozen:
        def __setattr__(self, name, value):
            raise FrozenError(f"cannot assign to field {name!r} of a frozen {cls.__name__}")

        def __delattr__(self, name):
            raise FrozenError(f"cannot delete field {name!r} of a frozen {cls.__name__}")

        def __hash__(self):
            return hash(tuple(getattr(self, n) for n in names))
        cls.__setattr__, cls.__delattr__, cls.__hash__ = __setattr__, __delattr__, __hash__
    else:
        cls.__hash__ = None  # mutable and compared by value: not hashable (as dataclasses does)
    return cls


def replace(obj, **changes):
    """A copy of the record `obj` with some fields changed."""
    return obj.__class__(**{**{name: getattr(obj, name) for name in obj.__record_fields__}, **changes})
