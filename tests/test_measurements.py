"""The measurement corpus (presets/measurements/): published third-party measurements, one JSON file per
source. This checks the schema of every file and point; docs/measurements.md says what the fields mean and
how to add a point."""
import json
import math
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "presets" / "measurements"
FILES = sorted(CORPUS.glob("*.json"))

# The app's GPU catalog names (written out here: the catalog is being extended in parallel).
HARDWARE = {
    "H100 SXM", "H100 PCIe", "H100 NVL", "H200", "H800", "H20", "B200", "GB200 (per GPU)",
    "A100 80GB", "A100 40GB", "A100 PCIe 40GB", "A100 PCIe 80GB", "A10G", "A40", "L4", "L40S", "T4",
    "V100 32GB", "RTX 3060 12GB", "RTX 3080", "RTX 3090", "RTX 4060 Ti 16GB", "RTX 4070 Ti Super",
    "RTX 4080", "RTX 4090", "RTX 5060Ti", "RTX 5080", "RTX 5090", "RTX A6000", "RTX 6000 Ada",
    "RTX PRO 6000", "MI250X", "MI300X", "MI325X", "MI355X", "Gaudi 3", "Apple M1 Max (64 GB)",
    "Apple M1 Ultra (128 GB)", "Apple M2 Max (96 GB)", "Apple M2 Ultra (192 GB)", "Apple M3 Max (128 GB)",
    "Apple M3 Ultra (512 GB)", "Apple M4 Max (128 GB)", "DGX Spark (GB10)",
}
# category -> allowed units
CATEGORIES = {
    "decode_tokens_per_s": {"tokens/s"},
    "prefill_tokens_per_s": {"tokens/s"},
    "time_to_first_token_s": {"s"},
    "kv_pool_tokens": {"tokens"},
    "weights_bytes": {"bytes", "GiB"},
    "training_gpu_hours": {"GPU-hours"},
    "training_mfu": {"fraction"},
    "training_tokens_per_s_per_gpu": {"tokens/s"},
    "finetune_peak_memory_bytes": {"GB", "GiB"},
    "finetune_tokens_per_s": {"tokens/s", "s/step"},  # s/step: one micro-batch per GPU (quantity "step")
}
FINETUNE_CATEGORIES = {"finetune_peak_memory_bytes", "finetune_tokens_per_s"}
TRAINING = {"training_gpu_hours", "training_mfu", "training_tokens_per_s_per_gpu", *FINETUNE_CATEGORIES}
# A fine-tuning point's own conditions (docs/measurements.md), each null when its source does not state it.
FINETUNE = {"method": str, "micro_batch_size": int, "seq_len": int, "packed": bool, "gradient_checkpointing": bool,
            "precision": str, "base_weights": str, "optimizer": str, "optimizer_in_backward": bool, "lora_rank": int,
            "lora_alpha": float, "lora_targets": str, "sharding": str, "offload": bool, "activation_offloading": bool,
            "compile": bool, "framework": str, "measured_as": str}
SERVING_SPEED = {"decode_tokens_per_s", "prefill_tokens_per_s", "time_to_first_token_s"}
SOURCE_KINDS = {"github-issue", "github-discussion", "github-pr", "repo-file", "paper", "model-card", "project"}
ENGINES = {"llama.cpp", "vllm", "sglang", "mlc", "exllamav2", "tensorrt-llm", "tgi", "transformers", "megatron"}
WEIGHTS = {"bf16", "fp16", "fp32", "fp8", "int8", "int4", "gptq-int4", "awq-int4", "q4f16_1", "mxfp4", "nvfp4", "nf4"}
GGUF = re.compile(r"^(F32|F16|BF16|Q[2-8]_[01K](_[SML])?|Q[2-8]_K|IQ[1-4]_(XXS|XS|S|M|NL))$")
EXL2 = re.compile(r"^exl2-\d+(\.\d+)?bpw$")
SETTING = {
    "context": int, "prompt_tokens": int, "generated_tokens": int, "batch": int, "concurrent_users": int,
    "tensor_parallel": int, "gpu_memory_utilization": float, "mem_fraction_static": float,
    "max_model_len": int, "tokens_trained": float,
}
POINT_FIELDS = {"id", "category", "quantity", "model", "hardware", "n_gpus", "engine", "engine_version",
                "weights", "kv_dtype", "setting", "value", "unit", "quote", "notes"}
SOURCE_FIELDS = {"kind", "title", "repo", "number", "path", "url", "date"}


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def all_points():
    for path in FILES:
        for p in load(path)["points"]:
            yield path, p


def is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def is_num(x):
    return (isinstance(x, (int, float)) and not isinstance(x, bool)) and math.isfinite(x)


def check_typed(where, block, schema, least_int):
    """Each non-null value of `block` has its schema type: a bool, a whole number ≥ least_int, a positive
    finite number, or non-blank text."""
    for k, typ in schema.items():
        v = block[k]
        if v is None:
            continue
        if typ is bool:
            assert isinstance(v, bool), (where, k)
        elif typ is int:
            assert is_int(v) and v >= least_int, (where, k)
        elif typ is float:
            assert is_num(v) and v > 0, (where, k)
        else:
            assert isinstance(v, str) and v.strip(), (where, k)


def test_corpus_size():
    points = list(all_points())
    assert len(points) >= 100, len(points)
    assert len(FILES) >= 8, len(FILES)
    # independent sources: distinct (repository or paper title) behind the files
    origins = {load(f)["source"]["repo"] or load(f)["source"]["title"] for f in FILES}
    assert len(origins) >= 8, origins


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_source(path):
    doc = load(path)
    assert set(doc) == {"source", "points"}
    src = doc["source"]
    assert set(src) == SOURCE_FIELDS, set(src) ^ SOURCE_FIELDS
    assert src["kind"] in SOURCE_KINDS
    assert isinstance(src["title"], str) and src["title"].strip()
    assert src["repo"] is None or re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", src["repo"])
    assert src["number"] is None or (is_int(src["number"]) and src["number"] > 0)
    assert src["path"] is None or (isinstance(src["path"], str) and src["path"])
    assert src["date"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", src["date"])
    if src["kind"] == "project":
        assert src["url"] is None or src["url"].startswith("https://")
        assert src["path"]
    else:
        assert isinstance(src["url"], str) and src["url"].startswith("https://")
    if src["kind"] in ("github-issue", "github-discussion", "github-pr"):
        assert src["repo"] and src["number"]
        assert f"/{src['number']}" in src["url"] and src["repo"] in src["url"]
    if src["kind"] == "repo-file":
        assert src["repo"] and src["path"] and src["repo"] in src["url"]
    assert isinstance(doc["points"], list) and doc["points"]


def test_points():
    ids = set()
    for path, p in all_points():
        where = f"{path.name}:{p.get('id')}"
        fields = POINT_FIELDS | ({"finetune"} if p.get("category") in FINETUNE_CATEGORIES else set())
        assert set(p) == fields, (where, set(p) ^ fields)
        if "finetune" in p:
            ft = p["finetune"]
            assert set(ft) == set(FINETUNE), (where, set(ft) ^ set(FINETUNE))
            check_typed(where, ft, FINETUNE, least_int=1)
            assert ft["method"] in ("full", "lora", "qlora", "adapter", "adapter_v2"), where
            # the serving-shaped fields say the same as the block
            assert (s_batch := p["setting"]["batch"]) == ft["micro_batch_size"], (where, s_batch)
            assert p["setting"]["context"] == ft["seq_len"], where
            base = ft["base_weights"]
            assert p["weights"] == (None if base is None else "nf4" if base.startswith("nf4") else base), where
        assert isinstance(p["id"], str) and p["id"].startswith(path.stem + "-"), where
        assert p["id"] not in ids, where
        ids.add(p["id"])
        cat = p["category"]
        assert cat in CATEGORIES, where
        assert p["unit"] in CATEGORIES[cat], where
        assert is_num(p["value"]) and p["value"] > 0, where
        if cat == "training_mfu":
            assert p["value"] < 1, where
        assert p["quantity"] in ("per_request", "aggregate", "end_to_end", "per_gpu", "step", None), where
        if cat == "finetune_tokens_per_s":  # tokens/s on one GPU or all of them, or seconds per step
            assert p["quantity"] in (("step",) if p["unit"] == "s/step" else ("per_gpu", "aggregate")), where
        else:
            assert p["quantity"] not in ("per_gpu", "step"), where
        if p["quantity"] == "end_to_end":  # a static batch timed from its prompts: the prefill is in the time
            assert cat == "decode_tokens_per_s" and p["setting"]["prompt_tokens"] and p["setting"]["generated_tokens"], where
        if cat in SERVING_SPEED:
            assert p["quantity"] is not None, where
        assert isinstance(p["model"], str) and re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", p["model"]), where
        assert p["hardware"] in HARDWARE, where
        if cat in TRAINING:
            assert p["n_gpus"] is None or (is_int(p["n_gpus"]) and p["n_gpus"] >= 1), where
        else:
            assert is_int(p["n_gpus"]) and p["n_gpus"] >= 1, where
        assert p["engine"] in ENGINES or re.fullmatch(r"other:[a-z0-9][a-z0-9._-]*", p["engine"]), where
        assert p["engine_version"] is None or (isinstance(p["engine_version"], str) and p["engine_version"]), where
        w = p["weights"]
        if w is None:
            assert cat in TRAINING, where
        else:
            assert w in WEIGHTS or GGUF.match(w) or EXL2.match(w), where
        assert p["kv_dtype"] is None or (isinstance(p["kv_dtype"], str) and p["kv_dtype"]), where
        s = p["setting"]
        assert set(s) == set(SETTING), (where, set(s) ^ set(SETTING))
        check_typed(where, s, SETTING, least_int=0)
        for k in ("gpu_memory_utilization", "mem_fraction_static"):
            assert s[k] is None or s[k] <= 1, (where, k)
        if s["concurrent_users"] is not None and s["concurrent_users"] > 1 and cat in SERVING_SPEED:
            assert p["quantity"] in ("per_request", "aggregate", "end_to_end"), where
        if cat == "kv_pool_tokens":
            assert p["engine"] in ("vllm", "sglang") or p["engine"].startswith("other:"), where
        if cat == "training_gpu_hours":
            assert s["tokens_trained"] is not None, where
        assert isinstance(p["quote"], str) and p["quote"].strip(), where
        assert "\n" not in p["quote"], where
        assert isinstance(p["notes"], str), where


def test_no_duplicate_points():
    seen = {}
    for path, p in all_points():
        key = json.dumps({k: v for k, v in p.items() if k not in ("id", "notes")}, sort_keys=True)
        assert key not in seen, (p["id"], seen.get(key))
        seen[key] = p["id"]


def _forms(v):
    """Ways a value may be written in its source line."""
    out = {repr(v)}  # a machine-written file prints the float's shortest round-trip form
    for x in (v, v * 100, v * 1000, v / 1e3, v / 1e6):
        for nd in range(0, 5):
            s = f"{x:.{nd}f}"
            out.add(s)
            out.add(s.rstrip("0").rstrip(".") if "." in s else s)
            if nd == 0:
                out.add(f"{round(x):,}")
    return {s for s in out if s not in ("0", "")}


def test_quoted_number_is_in_the_quote():
    """The value appears in the quoted line (as printed, in percent, thousands or millions), or the notes say
    how it was converted (for example a per-token latency in ms turned into tokens/s)."""
    for path, p in all_points():
        quote = p["quote"].replace("**", "")
        found = any(re.search(r"(?<![\d.])" + re.escape(f) + r"(?![\d])", quote) for f in _forms(p["value"]))
        assert found or "convert" in p["notes"], (p["id"], p["value"], p["quote"])
