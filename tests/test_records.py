"""taf.records: the named-field classes that stand in for dataclasses (which the page would have to
compile at every start). They must behave as dataclasses do where the engine relies on it."""
import dataclasses

import pytest

from taf.records import Factory, FrozenError, record, replace


@record(frozen=True)
class Point:
    x: float
    y: float = 0.0
    tags: tuple = ()


@dataclasses.dataclass(frozen=True)
class Reference:
    x: float
    y: float = 0.0
    tags: tuple = ()


@record
class Bag:
    name: str
    items: list = Factory(list)


def test_construction_matches_a_frozen_dataclass():
    for args, kwargs in (((1.0,), {}), ((1.0, 2.0), {}), ((), {"x": 3.0, "tags": ("a",)}), ((1.0,), {"y": 5.0})):
        mine, theirs = Point(*args, **kwargs), Reference(*args, **kwargs)
        assert (mine.x, mine.y, mine.tags) == (theirs.x, theirs.y, theirs.tags)
        assert repr(mine) == repr(theirs).replace("Reference", "Point")
        assert hash(mine) == hash(theirs)  # both hash the tuple of fields
    for bad_args, bad_kwargs in (((), {}), ((1.0,), {"z": 1}), ((1.0,), {"x": 2.0}), ((1, 2, 3, 4), {})):
        with pytest.raises(TypeError):
            Point(*bad_args, **bad_kwargs)
        with pytest.raises(TypeError):
            Reference(*bad_args, **bad_kwargs)


def test_equality_hashing_frozenness_and_replace():
    a, b = Point(1.0, 2.0), Point(1.0, 2.0)
    assert a == b and a is not b and len({a, b}) == 1 and a != Point(1.0, 3.0) and a != (1.0, 2.0)
    with pytest.raises(FrozenError):
        a.x = 5.0
    with pytest.raises(AttributeError):
        del a.y
    moved = replace(a, y=9.0)
    assert moved == Point(1.0, 9.0) and a.y == 2.0
    with pytest.raises(TypeError):
        replace(a, z=1.0)


def test_a_factory_default_is_fresh_per_instance_and_mutable_records_are_unhashable():
    one, two = Bag("one"), Bag("two")
    one.items.append(1)
    assert two.items == [] and one.items == [1]
    one.name = "renamed"  # not frozen
    assert one.name == "renamed"
    with pytest.raises(TypeError):
        hash(one)


def test_a_field_without_a_default_may_not_follow_one_with_a_default():
    with pytest.raises(TypeError):
        @record
        class Wrong:  # noqa: F841
            a: int = 1
            b: int


def test_the_engine_no_longer_imports_dataclasses():
    import subprocess
    import sys
    from pathlib import Path
    code = "import sys, taf.api; print('dataclasses' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PYTHONPATH": str(Path(__file__).resolve().parents[1] / "py")})
    assert done.stdout.strip() == "False", done.stderr
