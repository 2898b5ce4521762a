"""Presets as data: model presets, the GPU catalog and the API price table.

The files live in the repository's `presets/` folder. A wheel built by `build.py` carries a
copy in `taf/presets_data/`; a source checkout or editable install reads `presets/` directly.
Everything handed out is a copy, so no caller can change the catalog for the next one.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from .errors import InputError
from . import validate

MODEL_FIELDS = ("theta", "T_train", "n_attention_heads", "n_kv_heads", "d_head",
                "n_layers", "n_params", "has_SWA")


def presets_dir() -> Path:
    """Where the preset files are: $TAF_PRESETS_DIR, the wheel's copy, or the checkout's."""
    candidates = []
    if os.environ.get("TAF_PRESETS_DIR"):
        candidates.append(Path(os.environ["TAF_PRESETS_DIR"]))
    here = Path(__file__).resolve().parent
    candidates += [here / "presets_data", here.parent.parent / "presets"]
    for folder in candidates:
        if (folder / "models.json").is_file():
            return folder
    raise RuntimeError("taf: preset files not found (looked in: "
                       + ", ".join(str(c) for c in candidates) + ")")


@lru_cache(maxsize=None)
def _load(name: str) -> dict:
    with open(presets_dir() / name, encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=None)
def _models() -> dict:
    return {m["id"]: m for m in _load("models.json")["models"]}


@lru_cache(maxsize=None)
def _gpus() -> dict:
    return {g["name"]: g for g in _load("gpus.json")["gpus"]}


@lru_cache(maxsize=None)
def _apis() -> dict:
    return {a["name"]: a for a in _load("apis.json")["apis"]}


def gpu_names() -> list:
    return list(_gpus())


def api_names() -> list:
    return list(_apis())


# Preset, GPU and API entries are flat dicts of numbers and text: a shallow copy is a full copy.
def list_presets() -> list:
    """Every model preset: id, label, the architecture fields and the source note."""
    return [dict(m) for m in _models().values()]


def get_preset(model_id) -> dict:
    """The architecture fields of one preset, as a fresh copy (the seed's shape, plus nothing)."""
    model_id = validate.choice("model", model_id, _models(), "model preset")
    entry = _models()[model_id]
    return {k: entry[k] for k in MODEL_FIELDS}


def preset_record(model_id) -> dict:
    model_id = validate.choice("model", model_id, _models(), "model preset")
    return dict(_models()[model_id])


def each_gpu():
    """The catalog's GPU records themselves, for read-only loops inside the engine (no copies)."""
    return _gpus().values()


def list_gpus() -> list:
    return [dict(g) for g in _gpus().values()]


def gpu(name, field: str = "gpu") -> dict:
    name = validate.choice(field, name, _gpus(), "GPU")
    return dict(_gpus()[name])


def list_apis() -> list:
    return [dict(a) for a in _apis().values()]


def api(name, field: str = "api_model") -> dict:
    name = validate.choice(field, name, _apis(), "API model")
    return dict(_apis()[name])


def reality_decode_points() -> tuple:
    """The measured decode points as (gpu name, ((context, measured tokens/s), …)) — read-only, no copy."""
    data = _load("reality_h200.json")
    return data["gpu"], tuple((p["context"], p["measured_tok_s"]) for p in data["decode_with_kv"]["points"])


def reality_preset() -> str:
    """The preset the measured points belong to (read without copying the whole file)."""
    return _load("reality_h200.json")["llama3_8b"]["preset"]


__all__ = ["InputError", "MODEL_FIELDS", "list_presets", "get_preset", "list_gpus", "list_apis"]
