"""The measurement corpus and the calibration fitted on it, as data.

`presets/measurements/*.json`: published third-party measurements, one file per source, each point
with its setting, value, unit and the quoted line (docs/measurements.md). `presets/calibration.json`:
what `python -m taf calibrate` fitted from them (efficiencies by group, MFU, residual bands, the
corpus hash). The engine reads the calibration; it never looks up a measured point to answer."""
# hashlib is imported inside the functions that use it: the page starts ~5 ms sooner
from __future__ import annotations

import json
from functools import lru_cache

from .catalog import presets_dir

CALIBRATION_FILE = "calibration.json"
PREDICTIONS_FILE = "accuracy-predictions.json"  # each point's prediction under the calibration (the Accuracy view)


def _strict_json(text: str, where: str):
    def refuse(constant):
        raise ValueError(f"{where}: {constant} is not JSON")
    return json.loads(text, parse_constant=refuse)


@lru_cache(maxsize=None)
def _sources() -> tuple:
    folder = presets_dir() / "measurements"
    if not folder.is_dir():
        return ()
    out = []
    for path in sorted(folder.glob("*.json")):
        data = _strict_json(path.read_text(encoding="utf-8"), path.name)
        out.append((path.stem, data))
    return tuple(out)


def sources() -> list:
    """[(slug, {"source": {...}, "points": [...]})] — read-only; callers copy what they keep."""
    return list(_sources())


def points() -> list:
    """Every point, each with its source slug and source record attached (fresh dicts)."""
    return [{**p, "source_slug": slug, "source": data["source"]} for slug, data in _sources() for p in data["points"]]


@lru_cache(maxsize=None)
def _by_model_and_hardware() -> dict:
    index = {}
    for slug, data in _sources():
        for p in data["points"]:
            index.setdefault((str(p["model"]).lower(), p["hardware"]), []).append((p, data["source"]))
    return {key: tuple(rows) for key, rows in index.items()}


def points_for(model_id: str, hardware: str) -> tuple:
    """(point, source) pairs measured on this model and GPU — read-only, for display beside a prediction."""
    return _by_model_and_hardware().get((str(model_id).lower(), hardware), ())


def corpus_hash() -> str:
    """sha256 over the corpus files' canonical JSON (order-independent of whitespace)."""
    import hashlib
    digest = hashlib.sha256()
    for slug, data in _sources():
        digest.update(slug.encode())
        digest.update(json.dumps(data, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


@lru_cache(maxsize=None)
def _fitted_file(name) -> dict:
    """A file `python -m taf calibrate` writes, parsed strictly ({} before it has been written)."""
    path = presets_dir() / name
    if not path.is_file():
        return {}
    return _strict_json(path.read_text(encoding="utf-8"), name)


def calibration() -> dict:
    """The fitted calibration ({} when none has been fitted). Read-only: do not mutate."""
    return _fitted_file(CALIBRATION_FILE)


def stored_predictions() -> dict:
    """{point id: [predicted value or None, why not or None]} under the shipped calibration, as `python -m taf
    calibrate` wrote them ({} when none). Read-only."""
    return _fitted_file(PREDICTIONS_FILE)


_generation = [0]


def generation() -> int:
    """Bumped by reload(): callers that cache values derived from the calibration key them on it."""
    return _generation[0]


def reload():
    """Forget cached files (after `python -m taf calibrate` rewrote calibration.json)."""
    _generation[0] += 1
    _sources.cache_clear()
    _fitted_file.cache_clear()
    _by_model_and_hardware.cache_clear()
