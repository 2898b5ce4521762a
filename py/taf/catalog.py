"""Presets as data: model presets, the model catalog, the GPU catalog and the API price table.

The files live in the repository's `presets/` folder. A wheel built by `build.py` carries a
copy in `taf/presets_data/`; a source checkout or editable install reads `presets/` directly.
Everything handed out is a copy, so no caller can change the catalog for the next one.

The model catalog (`presets/catalog/<org>/<name>.json`, one file per model: its Hugging Face id, a
display family, where the config was read, the published parameter count when there is one, and the
config.json keys) goes through the same importer as a pasted config.json (`config_import.py`), so
`model="<catalog id>"` gives the figures pasting that config gives. The wheel carries the catalog as
one file, `catalog.json` (a list of the same entries), read in one go. The hand-written presets of
`models.json` keep their own fields and win when an id is in both.
"""
from __future__ import annotations

import json
import math
import os
import re
from functools import lru_cache
from pathlib import Path

from .errors import InputError
from . import validate
from .config_import import import_config

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


def _catalog_files(folder: Path) -> list:
    return sorted(folder.rglob("*.json"))


@lru_cache(maxsize=None)
def _catalog() -> dict:
    """Catalog id → entry (as in its file): from catalog.json when the wheel has one, else from
    presets/catalog/**/*.json. An id given twice is a data error."""
    folder = presets_dir()
    if (folder / "catalog.json").is_file():
        entries = _load("catalog.json")["models"]
    else:
        entries = []
        for path in _catalog_files(folder / "catalog"):
            with open(path, encoding="utf-8") as handle:
                entries.append(json.load(handle))
    out = {}
    for entry in entries:
        if entry["id"] in out:
            raise RuntimeError(f"taf: model catalog lists {entry['id']!r} twice")
        out[entry["id"]] = entry
    return out


def catalog_entries() -> list:
    """The catalog files' entries, as read (for the build and the tests; not copied: do not change)."""
    return list(_catalog().values())


def _short_label(model_id: str) -> str:
    return model_id.rsplit("/", 1)[-1]


@lru_cache(maxsize=None)
def _catalog_record(model_id: str) -> dict:
    """A catalog model as a model record: the importer's fields for its config.json (one path with a
    pasted config), labelled by its name, with the importer's notes for the caveats."""
    entry = _catalog()[model_id]
    imported = import_config(json.dumps(entry["config"]))
    return {**imported["params"], "id": model_id, "label": _short_label(model_id), "family": entry.get("family"),
            "config_family": imported["family"], "config_notes": tuple(imported["notes"]),
            "config_missing": tuple(imported["missing"]), "source": entry["source"]["read_from"],
            "has_SWA": bool(imported["params"].get("has_SWA"))}


def config_fields_of(model_id) -> dict:
    """The imported config.json fields of a model whose hand-written preset (models.json) leaves some out
    (its MLP width, tied embeddings, config family): the catalog's record of the same id, else of its
    -Instruct sibling (an instruct model shares its base model's architecture); {} when there is neither."""
    if not isinstance(model_id, str):
        return {}
    by_lower = _catalog_ids_by_lower()
    for candidate in (model_id, model_id + "-Instruct"):
        found = by_lower.get(candidate.lower())
        if found:
            return dict(_catalog_record(found))
    return {}


@lru_cache(maxsize=None)
def _catalog_ids_by_lower() -> dict:
    return {k.lower(): k for k in _catalog()}


def _known(model_id):
    if isinstance(model_id, str) and (model_id in _models() or model_id in _catalog()):
        return model_id  # the common case, without building the list of every id
    return validate.choice("model", model_id, _ModelIds(), "model")


class _ModelIds:
    """Every model id (presets, then the catalog) for validate.choice, with a short error listing."""

    def __iter__(self):
        yield from _models()
        yield from _catalog_only()


@lru_cache(maxsize=None)
def _catalog_only() -> tuple:
    """Catalog ids that are not a preset's (Hub ids ignore case: microsoft/Phi-3-mini-4k-instruct is the
    preset microsoft/phi-3-mini-4k-instruct)."""
    presets = {k.lower() for k in _models()}
    return tuple(k for k in _catalog() if k.lower() not in presets)


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


LISTED_FIELDS = MODEL_FIELDS + ("position_encoding", "max_position_embeddings", "rope_scaling_type",
                                "rope_scaling_factor", "rope_original_context")


def _context(record: dict):
    return record.get("max_position_embeddings") or record.get("T_train")


@lru_cache(maxsize=None)
def _listing() -> tuple:
    """The picker's rows: presets first, then the catalog (ids in both listed once, as the preset)."""
    rows = []
    for m in _models().values():
        entry = _catalog().get(m["id"]) or next((e for k, e in _catalog().items() if k.lower() == m["id"].lower()), None)
        rows.append({**m, "kind": "preset", "family": entry["family"] if entry else m.get("family"),
                     "n_params_active": m.get("n_params_active"), "context": _context(m)})
    for model_id in _catalog_only():
        rec = _catalog_record(model_id)
        row = {"id": model_id, "label": rec["label"], "kind": "catalog", "family": rec["family"],
               "n_params_active": rec.get("n_params_active"), "context": _context(rec)}
        # the model fields a form shows for the chosen model (those the config gives)
        row.update({k: rec[k] for k in LISTED_FIELDS if rec.get(k) is not None})
        row.setdefault("theta", None)
        row.setdefault("T_train", None)
        row.setdefault("n_params", None)
        rows.append(row)
    return tuple(rows)


# Preset, GPU and API entries are flat dicts of numbers and text: a shallow copy is a full copy.
def list_presets() -> list:
    """Every model: the presets (id, label, the architecture fields, the source note) and the catalog
    (id, label, family, θ, trained context, total and active parameters, context, source); each row
    says its `kind` ("preset" or "catalog")."""
    return [dict(m) for m in _listing()]


MAX_SEARCH_RESULTS = 50
_SPLIT = re.compile(r"[\s/_\-]+")
_SIZE = re.compile(r"^(\d+(?:\.\d+)?)([bm])$")


def _tokens(text) -> list:
    return [t for t in _SPLIT.split(str(text or "").lower()) if t]


def _size_of(token: str):
    """'70b' → 7e10, '135m' → 1.35e8 (a size the person typed), else None."""
    m = _SIZE.match(token)
    return None if not m else float(m.group(1)) * (1e9 if m.group(2) == "b" else 1e6)


@lru_cache(maxsize=None)
def _search_index() -> tuple:
    """Per model: its name tokens (org, name parts), family tokens and the parameter count."""
    return tuple((row, tuple(_tokens(row["id"]) + _tokens(row["label"])), tuple(_tokens(row.get("family"))),
                  row["id"].lower()) for row in _listing())


def _token_score(q: str, names: tuple, family: tuple, text: str, n_params) -> int:
    """How well one typed token matches a model (0 = not at all): a whole name token 6, the start of
    one 4, a family token 3 (its start 2), a size within 15 % of the parameter count 2, inside the
    id 1. A bare number ("32") also matches a name token "32b" at its start."""
    if q in names:
        return 6
    if any(t.startswith(q) for t in names):
        return 4
    if q in family:
        return 3
    if any(t.startswith(q) for t in family):
        return 2
    size = _size_of(q)
    if size and n_params and abs(n_params - size) <= 0.15 * size:
        return 2
    return 1 if q in text else 0


def search_models(query="", limit=12) -> dict:
    """Models whose name, family or size match every word of `query` (e.g. "qwen3 32", "70b",
    "llama 3.1 instruct"), best first: the sum of the words' scores (_token_score), then the
    hand-written presets, then the model whose size is nearest a size the person typed, then the
    shorter id. An empty query lists the presets, then the catalog, in order."""
    query = validate.text("query", "" if query is None else query, max_len=200)
    limit = validate.integer("limit", limit, lo=1, hi=MAX_SEARCH_RESULTS)
    words = _tokens(query)
    # "3.1" stays one word, as in the names; "qwen3-32b" splits like a name
    sizes = [_size_of(w) for w in words if _size_of(w)]
    hits = []
    for order, (row, names, family, text) in enumerate(_search_index()):
        total = 0
        for w in words:
            score = _token_score(w, names, family, text, row.get("n_params"))
            if not score:
                break
            total += score
        else:
            near = min((abs(math.log(row["n_params"] / s)) for s in sizes), default=0.0) if row.get("n_params") else 9.0
            hits.append((-total, row["kind"] != "preset", near, len(row["id"]) if words else 0, order, row))
    hits.sort(key=lambda h: h[:5])
    keys = ("id", "label", "family", "kind", "n_params", "n_params_active", "context")
    return {"query": query, "total": len(hits), "models": [{k: h[5].get(k) for k in keys} for h in hits[:limit]]}


def preset_ids() -> list:
    """The hand-written presets' ids (models.json): the ones the build prerenders."""
    return list(_models())


def get_preset(model_id) -> dict:
    """The architecture fields of one model, as a fresh copy (the seed's shape, plus nothing); a
    catalog model's field its config does not give is None."""
    model_id = _known(model_id)
    entry = _models().get(model_id) or _catalog_record(model_id)
    return {k: entry.get(k) for k in MODEL_FIELDS}


def preset_record(model_id) -> dict:
    model_id = _known(model_id)
    if model_id in _models():
        return dict(_models()[model_id])
    return dict(_catalog_record(model_id))


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


__all__ = ["InputError", "MODEL_FIELDS", "list_presets", "get_preset", "list_gpus", "list_apis", "preset_ids",
           "catalog_entries", "search_models"]
