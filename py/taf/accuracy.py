"""Predictions held against the measurement corpus: fit the few calibrated figures (decode bandwidth
efficiency by engine / weight format / memory kind, prefill MFU by engine, training MFU as a function of
model size with a goodput factor) and the honest evaluation — leave-one-source-out: each source
predicted by a calibration fitted without it. The 80 % bands come from those predictions (how far a
prediction lands for a setup the fit has not seen), not from the fit's own residuals.

Every prediction runs the app's own path (run_recipe("X-FIT" / "X-1") with the calibration's values),
never a lookup of the measured point. Views layer: reads recipes, deployment and the corpus."""
from __future__ import annotations

import math  # statistics is imported inside the functions that fit: with fractions and decimal it
             # costs the page about 50 ms of start-up, and only the Accuracy view and calibrate need it

from typing import NamedTuple

from . import catalog, corpus
from . import deployment as D
from . import quantities as Q
from .errors import InputError
from .recipes import run_recipe

ENGINE_FOR_XFIT = {"llama.cpp": "llama.cpp", "vllm": "vllm", "sglang": "sglang", "transformers": "transformers"}
VLLM_V1_DATE = "2025-03-01"  # vLLM 0.8 made V1 (always chunked prefill) the default
# Engines that split a model over GPUs by whole layers, run one after another (no tensor parallel):
# llama.cpp's and ExLlamaV2's split, and AutoAWQ's from_quantized (device_map="balanced": accelerate places
# whole layers per GPU; casper-hansen/AutoAWQ awq/models/auto.py at 88e4c76)
LAYER_SPLIT_ENGINES = ("llama.cpp", "exllamav2", "other:autoawq")
TRAINING_CATEGORIES = ("training_mfu", "training_tokens_per_s_per_gpu", "training_gpu_hours")
FINETUNE_CATEGORY = "finetune_peak_memory_bytes"
FINETUNE_SPEED_CATEGORY = "finetune_tokens_per_s"  # tokens/s on one GPU or all, or s/step (quantity "step")
FP8_COMPUTE = ("fp8", "mxfp8")
# A fine-tuning point's conditions → X-TUNE's inputs (docs/measurements.md): its precision and optimizer names,
# and its LoRA targets (a head or key adapter adds r·(d_in + d_out) weights, too few to move a peak: the
# nearest X-TUNE set).
FINETUNE_PRECISION = {"bf16-true": "bf16", "bf16": "bf16"}
FINETUNE_TARGETS = {"q,v": "qv", "q,k,v,o": "qkvo", "q,k,v,o(proj),mlp,head": "all_linear", "q,k,v,o,mlp": "all_linear",
                    "q,v,o,mlp": "all_linear"}
EFFICIENCY_RANGE = (0.05, 1.0)
MFU_RANGE = (0.02, 0.9)
GIB = 2 ** 30
KV_DTYPE_OF_POINT = {"fp8": "fp8"}  # a KV cache the source states in 8 bits (TensorRT-LLM's --fp8_kv_cache)
END_TO_END = "end_to_end"  # a point's quantity: output tokens/s of a static batch, timed from the prompt


# ---- mapping a corpus point to the app's inputs -------------------------------------------------------

def weights_format(point) -> str | None:
    """The app's weight-format name for the point's precision (None: a format the app does not model)."""
    w = point.get("weights")
    if not w:
        return None
    if w in D.WEIGHT_FORMATS:
        return w
    return {"F16": "fp16", "BF16": "bf16", "F32": "fp32", "fp16": "fp16"}.get(w)


# Measurements often name a fine-tune of a catalog model (same architecture): read it as its base.
MODEL_ALIASES = {"meta-llama/Meta-Llama-3-8B-Instruct": "meta-llama/Meta-Llama-3-8B",
                 "meta-llama/Llama-3.1-8B-Instruct": "meta-llama/Llama-3.1-8B"}


def model_record(model_id):
    """The catalog's record of a measured model (presets and catalog files alike), or None."""
    if not isinstance(model_id, str):
        return None
    for name in (model_id, MODEL_ALIASES.get(model_id)):
        if not name:
            continue
        try:
            return catalog.preset_record(name)
        except (InputError, KeyError):
            continue
    return None


def _context(point) -> int:
    """The context a figure is predicted at. A decode figure averaged over a generation (prompt and
    generated tokens stated) at its mean context, prompt + generated / 2: each step reads the KV cache
    held at that step, and that grows by one token per step (`context` is the end of the run)."""
    s = point["setting"]
    prompt, generated = s.get("prompt_tokens"), s.get("generated_tokens")
    if point["category"] == "decode_tokens_per_s" and prompt is not None and generated:
        return max(1, int(prompt + generated / 2))
    if s.get("context"):
        return int(s["context"])
    prompt, generated = prompt or 0, generated or 0
    return max(1, int(prompt + generated / 2)) if (prompt or generated) else 512


def _users(point) -> int:
    s = point["setting"]
    return int(s.get("concurrent_users") or s.get("batch") or 1)


def xfit_inputs(point, engine=None) -> dict | None:
    """X-FIT inputs that describe the point's setting (None when the model, GPU or format is unknown)."""
    weights = weights_format(point)
    if weights is None or model_record(point["model"]) is None or point["hardware"] not in catalog.gpu_names():
        return None
    s = point["setting"]
    engine = engine or "ideal"
    args = {"model": point["model"], "gpu": point["hardware"], "n_gpus": int(point.get("n_gpus") or 1),
            "engine": engine, "weights": weights, "context": _context(point), "concurrent_users": _users(point),
            "kv_dtype": KV_DTYPE_OF_POINT.get(point.get("kv_dtype"), "fp16" if engine == "llama.cpp" else "bf16")}
    if s.get("tensor_parallel"):
        args["tensor_parallel"] = int(s["tensor_parallel"])
        args["n_gpus"] = max(args["n_gpus"], args["tensor_parallel"])
    elif point["engine"] in LAYER_SPLIT_ENGINES and args["n_gpus"] > 1:
        args["tensor_parallel"] = 1  # whole layers per GPU
    if s.get("prompt_tokens"):
        args["prompt_tokens"] = int(s["prompt_tokens"])
    if s.get("gpu_memory_utilization") and engine == "vllm":
        args["gpu_memory_utilization"] = s["gpu_memory_utilization"]
    if s.get("mem_fraction_static") and engine == "sglang":
        args["mem_fraction_static"] = s["mem_fraction_static"]
    if s.get("max_model_len") and engine in ("vllm", "sglang"):
        args["max_model_len"] = int(s["max_model_len"])
    date = point["source"].get("date") or ""
    if engine == "vllm" and date and date < VLLM_V1_DATE:  # V0: no chunked prefill, profiled max_model_len tokens
        record = model_record(point["model"]) or {}
        length = s.get("max_model_len") or record.get("max_position_embeddings") or record.get("T_train") or 2048
        args["max_num_batched_tokens"] = max(int(length), 2048)
    return args


def levels(point) -> dict:
    """The calibration factor levels of a point (engine, weight format, memory kind)."""
    gpu = catalog.gpu(point["hardware"]) if point["hardware"] in catalog.gpu_names() else {}
    return Q.efficiency_levels(point["engine"], Q.weight_family(weights_format(point)), gpu.get("memory_kind"))


# ---- prediction ---------------------------------------------------------------------------------------

def _run(args, **extra):
    try:
        return run_recipe("X-FIT", **args, **extra)
    except InputError:
        return None


def raw_prediction(point):
    """The prediction at efficiency 1 / MFU 1 (decode and prefill scale with them), or the exact figure.
    Returns (value in the point's unit, None) or (None, reason)."""
    cat = point["category"]
    if cat in TRAINING_CATEGORIES:
        return _training_raw(point)
    if cat == FINETUNE_CATEGORY:
        return _finetune_raw(point)
    if cat == FINETUNE_SPEED_CATEGORY:
        return _finetune_speed_raw(point)
    engine = ENGINE_FOR_XFIT.get(point["engine"])
    if cat == "kv_pool_tokens" and engine not in ("vllm", "sglang"):
        return None, "KV pools are modelled for vLLM and SGLang"
    args = xfit_inputs(point, engine)
    if args is None:
        return None, "model, GPU or weight format not in the app's catalog"
    r = _run(args, achieved_bandwidth_fraction=1.0, mfu=1.0, decode_overhead_s=0.0)
    if r is None:
        return None, "the app refuses this setting"
    f = r["figures"]
    if cat in ("prefill_tokens_per_s", "time_to_first_token_s"):
        prompt = args.get("prompt_tokens") or args["context"]
        return _prefill_raw(r, prompt * args["concurrent_users"]), None
    if cat == "decode_tokens_per_s":
        total = point.get("quantity") in ("aggregate", END_TO_END)
        return f["decode_tokens_per_s_total" if total else "decode_tokens_per_s"]["value"], None
    if cat == "kv_pool_tokens":
        return f["kv_pool_tokens"]["value"], None
    if cat == "weights_bytes":  # vLLM and SGLang log the weights one worker loaded: one card's share
        value = f["weights_bytes"]["value"] / (args["n_gpus"] if engine in ("vllm", "sglang") else 1)
        return (value / GIB if point["unit"] == "GiB" else value), None
    return None, f"category {cat} not predicted"


class PrefillRaw(NamedTuple):
    """A prefill's raw prediction (MFU 1, bandwidth efficiency 1, no overhead): the compute-bound and the
    memory-bound seconds of the app's time to first token, its all-reduce seconds and the prompt tokens
    it processes."""
    compute_s: float
    memory_s: float
    collective_s: float
    tokens: float


def _prefill_raw(result, tokens) -> PrefillRaw:
    step = result["chain"][result["figures"]["time_to_first_token_s"]["step"] - 1]  # the step producing the figure
    return PrefillRaw(step["inputs"]["compute_s"], step["inputs"]["memory_s"], step["inputs"]["collective_s"], tokens)


def _usable(raw_value) -> bool:
    """A raw prediction the fit and the evaluation can use (known and positive)."""
    if raw_value is None:
        return False
    return raw_value.compute_s > 0 if isinstance(raw_value, PrefillRaw) else raw_value > 0


def prefill_seconds(raw_value: PrefillRaw, mfu, efficiency, overhead_s, batch=1) -> float:
    """The app's time to first token from its raw parts: max(batch × compute ÷ MFU, memory ÷ efficiency)
    + batch × all-reduces + overhead (a static batch's prompts add their FLOPs and all-reduced values; the
    weights are read once; no decode efficiency fitted: no memory floor)."""
    return max(batch * raw_value.compute_s / mfu, raw_value.memory_s / efficiency if efficiency else 0.0) + \
        batch * raw_value.collective_s + overhead_s


def finetune_inputs(point, speed=None) -> tuple:
    """(X-TUNE inputs, None) for a fine-tuning point whose conditions X-TUNE models, else (None, why not).
    A speed point (`speed`: by default, its category says) needs less: the precision and the optimizer do not
    move the FLOPs, and the adapters' targets move only their own 6·P (q,k,v reads as q,k,v,o); its compute
    must be bf16, not fp8."""
    speed = point["category"] == FINETUNE_SPEED_CATEGORY if speed is None else speed
    ft = point["finetune"]
    if ft["method"] not in ("full", "lora", "qlora"):
        return None, f"method {ft['method']} is not modelled (full, LoRA and QLoRA are)"
    for flag, words in (("offload", "CPU offload"), ("optimizer_in_backward", "the optimizer step fused into backward"),
                        ("activation_offloading", "activation offloading"), ("compile", "torch.compile")):
        if ft[flag]:
            return None, f"{words} is not modelled"
    if None in (ft["micro_batch_size"], ft["seq_len"], ft["gradient_checkpointing"], point["n_gpus"]):
        return None, "micro-batch, sequence length, checkpointing or GPU count not stated"
    if model_record(point["model"]) is None or point["hardware"] not in catalog.gpu_names():
        return None, "model or GPU not in the app's catalog"
    sharding = {"fsdp": "fsdp", "deepspeed-zero3": "fsdp", "none": "none"}.get(ft["sharding"])
    if ft["sharding"] is None and point["n_gpus"] == 1:
        sharding = "none"  # one GPU: nothing to split
    if speed:
        if point["weights"] in FP8_COMPUTE or ft["precision"] in FP8_COMPUTE:
            return None, "fp8 compute is not modelled (the speed counts the dense bf16 peak)"
        if (ft["precision"] or "").startswith("fp32"):
            return None, "fp32 compute is not modelled (the speed counts the dense bf16 peak)"
        if ft["sharding"] == "distributed-optimizer":
            sharding = "none"  # the optimizer states' split does not change the FLOPs (tensor or pipeline
            # parallel splits of NeMo's larger runs are not timed either: their cost is in the efficiency)
        if sharding is None:
            return None, ("how the run splits across its GPUs is not stated" if ft["sharding"] is None else
                          f"sharding {ft['sharding']} not modelled (none, FSDP and ZeRO-3 are)")
        precision, optimizer = "bf16", "adamw"
    else:
        precision = FINETUNE_PRECISION.get(ft["precision"])
        optimizer = {"adamw": "adamw", "adamw-8bit": "adamw_8bit"}.get(ft["optimizer"])
        if ft["optimizer"] == "paged-adamw" and ft["method"] != "full":
            optimizer = "adamw"  # the adapters' states: megabytes, wherever bitsandbytes pages them
        if precision is None or optimizer is None:
            return None, f"precision {ft['precision']} or optimizer {ft['optimizer']} not modelled"
        if sharding is None:
            return None, f"sharding {ft['sharding']} not modelled (none, FSDP and ZeRO-3 are)"
    args = {"model": point["model"], "method": ft["method"], "precision": precision, "optimizer": optimizer,
            "micro_batch_size": ft["micro_batch_size"], "seq_len": ft["seq_len"],
            "gradient_checkpointing": ft["gradient_checkpointing"], "n_gpus": point["n_gpus"],
            "sharding": sharding, "gpu": point["hardware"]}
    if ft["method"] != "full":
        targets = FINETUNE_TARGETS.get(ft["lora_targets"], "qkvo" if speed and ft["lora_targets"] else None)
        if ft["lora_rank"] is None or targets is None:
            return None, "LoRA rank or targets not stated"
        args.update(lora_rank=ft["lora_rank"], lora_targets=targets)
    return args, None


def finetune_point_group(point) -> str:
    args = finetune_inputs(point)[0] or {}
    return Q.finetune_group(args.get("method"), args.get("sharding"), args.get("n_gpus") or 1)


def _fit_finetune(samples) -> dict:
    """Per group of runs (method, FSDP or not): the geometric mean of measured ÷ counted peaks, shrunk
    towards 1 by RIDGE pseudo-runs (a group seen twice moves little), clipped to FINETUNE_FACTOR_RANGE."""
    groups = {}
    for group, ratio in samples:
        groups.setdefault(group, []).append(math.log(ratio))
    lo, hi = Q.FINETUNE_FACTOR_RANGE
    return {g: {"factor": round(min(max(math.exp(sum(v) / (len(v) + RIDGE)), lo), hi), 4), "n": len(v)}
            for g, v in sorted(groups.items())}


def _finetune_figures(point, category):
    """(X-TUNE's figures for a fine-tuning point at peak factor 1 and efficiency 1, None) or (None, why not)."""
    args, why = finetune_inputs(point)
    if args is None:
        return None, why
    try:
        figures = run_recipe("X-TUNE", summary=True, peak_factor=1.0, speed_efficiency=1.0, **args)["figures"]
    except InputError as exc:
        return None, f"the app refuses this setting ({exc.field})"
    if category not in figures:
        return None, "X-TUNE does not model this architecture"
    return figures, None


def _finetune_raw(point):
    """X-TUNE's peak memory per GPU, in the point's unit (GB or GiB as the source printed it)."""
    figures, why = _finetune_figures(point, FINETUNE_CATEGORY)
    if figures is None:
        return None, why
    return figures[FINETUNE_CATEGORY]["value"] / (GIB if point["unit"] == "GiB" else 1e9), None


def _finetune_speed_raw(point):
    """X-TUNE's speed at the whole dense bf16 peak, in the point's quantity: tokens/s on one GPU or all of
    them, or the seconds of one step (one micro-batch per GPU)."""
    figures, why = _finetune_figures(point, FINETUNE_SPEED_CATEGORY)
    if figures is None:
        return None, why
    if point["quantity"] == "step":
        return figures["finetune_step_s"]["value"], None
    rate = figures[FINETUNE_SPEED_CATEGORY]["value"]
    return (rate / point["n_gpus"] if point["quantity"] == "per_gpu" else rate), None


def _per_step(point) -> bool:
    """A fine-tuning speed printed as seconds per step (quantity "step"): it reads as the speed it implies."""
    return point.get("quantity") == "step"


def _seconds_like(point) -> bool:
    """A figure that falls as the calibrated efficiency rises (GPU-hours, seconds per step)."""
    return point["category"] == "training_gpu_hours" or _per_step(point)


def _fit_finetune_speed(samples) -> dict:
    """The share of the dense bf16 peak published fine-tuning runs reached, as log efficiency = a source's
    effect (its framework) + the method's + FSDP's, fitted by least squares with each source weighing the same
    (frameworks differ several-fold, so the method and FSDP effects come from contrasts inside a source; a
    prolific source does not set them). A group's efficiency is the mean source's with its method's and
    sharding's effects, clipped to FINETUNE_EFFICIENCY_RANGE. `samples`: (method, sharded, efficiency, source).
    Returns {group: {"efficiency", "n" (runs of the group), "n_sources" (sources that ran the method)}} for
    every method seen, sharded or not, and "all" (the mean source's full fine-tune)."""
    if not samples:
        return {}
    lo, hi = Q.FINETUNE_EFFICIENCY_RANGE
    rows = [(m, bool(f), math.log(e), src) for m, f, e, src in samples]
    per_source = {}
    for _, _, _, src in rows:
        per_source[src] = per_source.get(src, 0) + 1
    weight = [1.0 / per_source[src] for *_, src in rows]
    methods = sorted({m for m, *_ in rows})
    reference = "full" if "full" in methods else methods[0]
    source_effect = {src: 0.0 for src in per_source}
    method_effect = {m: 0.0 for m in methods}
    fsdp = 0.0
    sharded_seen = any(f for _, f, _, _ in rows)

    def weighted_mean(pairs):
        total = sum(w for _, w in pairs)
        return sum(v * w for v, w in pairs) / total

    for _ in range(FIT_SWEEPS):  # backfitting: each block of effects is its weighted mean residual
        for src in source_effect:
            source_effect[src] = weighted_mean([(y - method_effect[m] - (fsdp if f else 0.0), w)
                                                for (m, f, y, s), w in zip(rows, weight) if s == src])
        for m in methods:
            if m != reference:
                method_effect[m] = weighted_mean([(y - source_effect[s] - (fsdp if f else 0.0), w)
                                                  for (mm, f, y, s), w in zip(rows, weight) if mm == m])
        if sharded_seen:
            fsdp = weighted_mean([(y - source_effect[s] - method_effect[m], w)
                                  for (m, f, y, s), w in zip(rows, weight) if f])
    base = sum(source_effect.values()) / len(source_effect)

    def entry(method, sharded):
        value = math.exp(base + method_effect[method] + (fsdp if sharded else 0.0))
        return {"efficiency": round(min(max(value, lo), hi), 4),
                "n": sum(1 for m, f, _, _ in rows if m == method and f == sharded),
                "n_sources": len({s for m, _, _, s in rows if m == method})}

    out = {}
    for method in methods:
        out[method] = entry(method, False)
        if sharded_seen:
            out[f"{method}+fsdp"] = entry(method, True)
    out["all"] = {**entry(reference, False), "n": len(rows), "n_sources": len(per_source)}
    return out


FIT_SWEEPS = 200  # backfitting sweeps (converges well within: the effects are few and the design small)


def _training_raw(point):
    record = model_record(point["model"])
    if record is None or point["hardware"] not in catalog.gpu_names():
        return None, "model or GPU not in the app's catalog"
    gpu = catalog.gpu(point["hardware"])
    peak = Q.training_peak_flops(gpu, point.get("weights"))
    active = record.get("n_params_active") or record["n_params"]
    cat = point["category"]
    if cat == "training_mfu":
        return 1.0, None  # the MFU itself: the fit predicts it directly
    if cat == "training_tokens_per_s_per_gpu":
        return peak / (6 * active), None  # tokens/s per GPU at MFU 1
    tokens = point["setting"].get("tokens_trained")
    if not tokens:
        return None, "tokens trained not stated"
    return 6 * active * tokens / peak / 3600, None  # GPU-hours at MFU 1


def predict(point, cal: dict, raw_and_reason=None):
    """(predicted value, band (low, high), reason) with calibration `cal` (`raw_and_reason`: the point's
    raw_prediction, when the caller already has it)."""
    raw, reason = raw_and_reason or raw_prediction(point)
    if raw is None:
        return None, None, reason
    value = _predicted(point, cal, raw)
    if value is None:
        return None, None, "no calibration for this category"
    return value, _band(cal, point, value), None


def _band(cal, point, value):
    """The calibrated 80 % band around a prediction (None: the category has none)."""
    return _band_around(cal.get("bands", {}).get(point["category"]), point, value)


def _band_around(band, point, value):
    """A category's band {low, high} of measured ÷ predicted around one prediction; a fine-tuning time per
    step takes its speed band inverted (the category's ratios are speeds')."""
    if band is None:
        return None
    if _per_step(point):
        return value / band["high"], value / band["low"]
    return value * band["low"], value * band["high"]


def _decode_k(point) -> int:
    """Sequences per step a decode figure counts: its users for an aggregate figure, else 1."""
    return _users(point) if point.get("quantity") in ("aggregate", END_TO_END) else 1


_BATCH_PREFILL_RAW = {}  # point id → PrefillRaw of one prompt (a corpus point's setting never changes in a process)


def batch_prefill_raw(point) -> PrefillRaw | None:
    """One prompt's raw prefill (the app's time to first token at MFU 1, efficiency 1, no overhead); a
    static batch of the point's users prefills users × its FLOPs and reads the weights once. None when the
    app cannot say."""
    key = point["id"]
    if key not in _BATCH_PREFILL_RAW:
        engine = ENGINE_FOR_XFIT.get(point["engine"])
        args = xfit_inputs(point, engine)
        r = None if args is None or not point["setting"].get("prompt_tokens") else \
            _run(args, achieved_bandwidth_fraction=1.0, mfu=1.0, decode_overhead_s=0.0)
        _BATCH_PREFILL_RAW[key] = None if r is None else _prefill_raw(r, point["setting"]["prompt_tokens"])
    return _BATCH_PREFILL_RAW[key]


def _end_to_end_prediction(point, cal, raw, efficiency, overhead_s):
    """Output tokens/s of a static batch timed from its prompts: k·n ÷ (the batch's prefill at the
    calibrated MFU + n decode steps), n the tokens each request generates."""
    prefill = batch_prefill_raw(point)
    mfu = _scale("prefill_tokens_per_s", point, cal)
    if prefill is None or not mfu:
        return None
    k, n = _decode_k(point), point["setting"]["generated_tokens"]
    prefill_s = prefill_seconds(prefill, mfu, efficiency, overhead_s, batch=_users(point))
    return k * n / (prefill_s + n * (k / raw / efficiency + overhead_s))


def decode_overhead(cal, point) -> float:
    """The calibration's fixed decode-step overhead for the point's engine (else the pooled one, else 0)."""
    return Q.overhead_value(cal.get("decode_overhead_s") or {}, Q.engine_family(point["engine"]))[0]


def _decode_prediction(point, raw, efficiency, overhead_s):
    """Decode: step = raw step (efficiency 1, no overhead) ÷ efficiency + overhead, in the point's terms."""
    k = _decode_k(point)
    return k / (k / raw / efficiency + overhead_s)


def _predicted(point, cal, raw):
    """The app's prediction from the raw one (efficiency 1, MFU 1, no decode overhead) and a calibration:
    decode step = raw step ÷ efficiency + overhead; prefill and training scale with the MFU."""
    cat = point["category"]
    scale = _scale(cat, point, cal)
    if not scale:
        return None
    if cat == "decode_tokens_per_s" and point.get("quantity") == END_TO_END:
        return _end_to_end_prediction(point, cal, raw, scale, decode_overhead(cal, point))
    if cat == "decode_tokens_per_s":
        return _decode_prediction(point, raw, scale, decode_overhead(cal, point))
    if cat in ("prefill_tokens_per_s", "time_to_first_token_s"):
        seconds = prefill_seconds(raw, scale, _decode_efficiency(cal, point), decode_overhead(cal, point),
                                  batch=_users(point))
        return seconds if cat == "time_to_first_token_s" else raw.tokens / seconds
    return raw / scale if _seconds_like(point) else raw * scale


def _decode_efficiency(cal, point):
    return Q.factor_value(cal.get("decode_efficiency", {}), levels(point), EFFICIENCY_RANGE)[0]


def _scale(cat, point, cal):
    if cat in ("kv_pool_tokens", "weights_bytes"):
        return 1.0
    if cat == FINETUNE_CATEGORY:
        entry = cal.get("finetune_factor", {}).get(finetune_point_group(point))
        return entry["factor"] if entry else 1.0
    if cat == FINETUNE_SPEED_CATEGORY:
        return Q.finetune_efficiency_in(cal.get("finetune_efficiency", {}), finetune_point_group(point))[0]
    if cat in ("decode_tokens_per_s",):
        return _decode_efficiency(cal, point)
    if cat in ("prefill_tokens_per_s", "time_to_first_token_s"):
        return Q.factor_value(cal.get("prefill_mfu", {}), levels(point), MFU_RANGE)[0]
    if cat in TRAINING_CATEGORIES:
        record = model_record(point["model"])
        mfu = Q.training_mfu(cal.get("training", {}), record.get("n_params_active") or record["n_params"])
        if mfu is None:
            return None
        n = record.get("n_params_active") or record["n_params"]
        return mfu * (Q.training_goodput(cal["training"], n, catalog.gpu(point["hardware"]))
                      if cat == "training_gpu_hours" else 1.0)
    return None


# ---- fitting ------------------------------------------------------------------------------------------

def _geomean(values):
    import statistics
    return math.exp(statistics.fmean(math.log(v) for v in values))


RIDGE = 2.0       # pseudo-points pulling each factor effect towards 0 (a level seen once moves little)
SWEEPS = 60


def _fit_factors(samples, sweeps=SWEEPS) -> dict:
    """log(ratio) = intercept + engine effect + weight-format effect + memory-kind effect, fitted by
    ridge back-fitting (pure Python). samples: [(levels dict, ratio)]. Each effect with its n."""
    import statistics
    if not samples:
        return {}
    logs = [math.log(r) for _, r in samples]
    intercept = statistics.fmean(logs)
    effects = {f: {} for f in Q.FACTORS}
    for _ in range(sweeps):
        for factor in Q.FACTORS:
            sums, counts = {}, {}
            for (lv, _), y in zip(samples, logs):
                level = lv.get(factor)
                if level is None:
                    continue
                others = sum(effects[g].get(lv.get(g), 0.0) for g in Q.FACTORS if g != factor)
                sums[level] = sums.get(level, 0.0) + (y - intercept - others)
                counts[level] = counts.get(level, 0) + 1
            effects[factor] = {lvl: sums[lvl] / (counts[lvl] + RIDGE) for lvl in sums}
        intercept = statistics.fmean(y - sum(effects[g].get(lv.get(g), 0.0) for g in Q.FACTORS)
                                     for (lv, _), y in zip(samples, logs))
    out = {"intercept": round(intercept, 4), "n": len(samples)}
    for factor in Q.FACTORS:
        counts = {}
        for lv, _ in samples:
            if lv.get(factor) is not None:
                counts[lv[factor]] = counts.get(lv[factor], 0) + 1
        out[factor] = {lvl: {"effect": round(e, 4), "n": counts[lvl]} for lvl, e in sorted(effects[factor].items())}
    return out


def fit(points, raw=None) -> dict:
    """The calibration from `points` (raw predictions may be passed in to save recomputing them)."""
    raw = raw if raw is not None else {p["id"]: raw_prediction(p)[0] for p in points}
    decode, prefill, training_mfu, hours, finetune, speed = [], [], [], [], [], []
    for p in points:
        r = raw.get(p["id"])
        if not _usable(r):
            continue
        cat, measured = p["category"], p["value"]
        if cat == "decode_tokens_per_s" and p.get("quantity") == END_TO_END:
            continue  # a prefill in its time: predicted with the fitted decode and prefill, not a decode fit
        if cat == "decode_tokens_per_s":
            decode.append((p, r))
        elif cat in ("prefill_tokens_per_s", "time_to_first_token_s"):
            prefill.append((p, r))
        elif cat in ("training_mfu", "training_tokens_per_s_per_gpu"):
            record = model_record(p["model"])
            training_mfu.append((record.get("n_params_active") or record["n_params"], measured / r))
        elif cat == "training_gpu_hours":
            record = model_record(p["model"])
            hours.append((record.get("n_params_active") or record["n_params"], catalog.gpu(p["hardware"]),
                          r / measured))
        elif cat == FINETUNE_CATEGORY:
            finetune.append((finetune_point_group(p), measured / r))
        elif cat == FINETUNE_SPEED_CATEGORY:
            group = finetune_point_group(p)
            speed.append((p["finetune"]["method"], group.endswith("+fsdp"),
                          r / measured if _seconds_like(p) else measured / r, source_key(p)))
    efficiency, overhead = _fit_decode(decode)
    cal = {"decode_efficiency": efficiency, "decode_overhead_s": overhead}
    cal["prefill_mfu"] = _fit_factors([sample for p, r in prefill if (sample := _implied_mfu(p, r, cal))])
    cal["training"] = _fit_training(training_mfu, hours)
    cal["finetune_factor"] = _fit_finetune(finetune)
    cal["finetune_efficiency"] = _fit_finetune_speed(speed)
    return cal


def _implied_mfu(point, raw_value: PrefillRaw, cal):
    """(levels, MFU) a prefill measurement implies once the decode fit's fixed overhead and the all-reduces
    are taken off its time (a batch of k prompts: k × one prompt's FLOPs and all-reduced values); None
    where reading the weights (at the fitted efficiency) takes as long: no MFU to learn."""
    batch = _users(point)
    seconds = point["value"] if point["category"] == "time_to_first_token_s" else raw_value.tokens / point["value"]
    net = seconds - decode_overhead(cal, point) - batch * raw_value.collective_s
    efficiency = _decode_efficiency(cal, point)
    if net <= (raw_value.memory_s / efficiency if efficiency else 0.0):
        return None
    return levels(point), batch * raw_value.compute_s / net


def _fit_training(mfu_points, hours_points) -> dict:
    """MFU = a + b·log10(N / 1e9), least squares on achieved-throughput points, clipped; goodput = what
    published GPU-hours imply ÷ that MFU, as exp(g0 + g1·log10(N / 1e9) + g2·log10(peak / A100's))."""
    import statistics
    if len(mfu_points) < 2:
        return {}
    xs = [math.log10(n / 1e9) for n, _ in mfu_points]
    ys = [m for _, m in mfu_points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0
    a = my - b * mx
    out = {"mfu_intercept": round(a, 4), "mfu_slope_per_decade": round(b, 4), "n_mfu": len(mfu_points),
           "mfu_range": list(MFU_RANGE)}
    if hours_points:  # published GPU-hours include restarts, evaluation and extra stages: a goodput that may
        # change with size and with the GPU's speed (quantities.training_goodput), least squares on
        # log(implied ÷ MFU); one predictor with 3–5 points, a constant with fewer
        sizes = [Q.goodput_predictors(n, gpu) for n, gpu, _ in hours_points]
        gy = [math.log(implied / Q.training_mfu(out, n)) for n, _, implied in hours_points]
        g0, g1, g2 = _two_predictor_fit([x for x, _ in sizes], [x for _, x in sizes], gy)
        out["goodput_intercept"] = round(g0, 4)
        out["goodput_slope_per_decade"] = round(g1, 4)
        out["goodput_slope_per_peak_decade"] = round(g2, 4)
        out["goodput_size_range"] = _outward([x for x, _ in sizes])
        out["goodput_peak_range"] = _outward([x for _, x in sizes])
        out["n_gpu_hours"] = len(hours_points)
    return out


def _outward(values, digits=4) -> list:
    """[min, max] rounded outward, so every fitted value stays inside the stored range."""
    scale = 10 ** digits
    return [math.floor(min(values) * scale) / scale, math.ceil(max(values) * scale) / scale]


def _two_predictor_fit(x1, x2, y) -> tuple:
    """(a, b1, b2) of y = a + b1·x1 + b2·x2 by least squares; b2 = 0 under 6 points or when x2 does not
    vary apart from x1, b1 = 0 too under 3 points."""
    import statistics
    my = statistics.fmean(y)
    if len(y) < 3:
        return my, 0.0, 0.0
    m1, m2 = statistics.fmean(x1), statistics.fmean(x2)
    c1, c2 = [v - m1 for v in x1], [v - m2 for v in x2]
    s11, s22, s12 = sum(a * a for a in c1), sum(b * b for b in c2), sum(a * b for a, b in zip(c1, c2))
    s1y, s2y = sum(a * (v - my) for a, v in zip(c1, y)), sum(b * (v - my) for b, v in zip(c2, y))
    det = s11 * s22 - s12 * s12
    if len(y) < 6 or det <= 1e-12 * max(s11 * s22, 1e-300):
        b1 = s1y / s11 if s11 else 0.0
        return my - b1 * m1, b1, 0.0
    b1, b2 = (s22 * s1y - s12 * s2y) / det, (s11 * s2y - s12 * s1y) / det
    return my - b1 * m1 - b2 * m2, b1, b2


def ratio_bands(ratios: dict, hold_estimate=True) -> dict:
    """Per category: the 10th and 90th percentiles of measured ÷ predicted (an 80 % interval); the shipped
    band is widened to hold the estimate itself (a source predicted only from sources that disagree with it
    can put both percentiles on one side of 1), the bands that measure coverage are not (`hold_estimate`);
    exact figures (weights) and categories with fewer than 5 points carry none."""
    import statistics
    out = {}
    for cat, values in sorted(ratios.items()):
        if cat == "weights_bytes" or len(values) < 5:
            continue
        q = statistics.quantiles(values, n=10, method="inclusive")
        low, high = (min(q[0], 1.0), max(q[-1], 1.0)) if hold_estimate else (q[0], q[-1])
        out[cat] = {"low": round(low, 4), "high": round(high, 4), "n": len(values),
                    "basis": "leave-one-source-out"}
    return out


def calibrate() -> dict:
    """The calibration file's content: values, point counts, residual summaries and the corpus hash."""
    pts = corpus.points()
    raw_and_reason = {p["id"]: raw_prediction(p) for p in pts}
    raw = {key: value for key, (value, _) in raw_and_reason.items()}
    cal = fit(pts, raw)
    unseen = loso_predictions(pts, raw)
    cal["bands"] = ratio_bands(_ratios(unseen))
    # what the Accuracy view shows for each point, predicted once here (`python -m taf calibrate` writes it to
    # its own file; the build and tests/test_accuracy.py check both files are what the corpus and the code give)
    cal["predictions"] = {p["id"]: list(predict(p, cal, raw_and_reason[p["id"]])[::2]) for p in pts}
    cal["corpus_hash"] = corpus.corpus_hash()
    cal["n_points"] = len(pts)
    cal["n_predicted"] = sum(1 for v in raw.values() if v)
    cal["in_sample"] = evaluate(pts, cal, raw)
    cal["leave_one_source_out"] = _loso_errors(unseen)
    cal["n_sources"] = len({source_key(p) for p in pts})
    return cal


# ---- evaluation ---------------------------------------------------------------------------------------

def _errors(pairs):
    """Median and 90th-percentile |error| and band coverage from (measured, predicted, band) triples."""
    import statistics
    errs = sorted(abs(pred / meas - 1) for meas, pred, _ in pairs)
    covered = [band[0] <= meas <= band[1] for meas, _, band in pairs if band]
    return {"n": len(errs), "median_abs_error": round(statistics.median(errs), 4) if errs else None,
            "p90_abs_error": round(statistics.quantiles(errs, n=10, method="inclusive")[-1], 4) if len(errs) > 1 else None,
            "band_coverage": round(sum(covered) / len(covered), 4) if covered else None}


def evaluate(points, cal, raw=None) -> dict:
    pairs = {}
    for p in points:
        pred, band, _ = _predict_with_raw(p, cal, raw)
        if pred:
            pairs.setdefault(p["category"], []).append(_as_rate(p, p["value"], pred, band))
    return {cat: _errors(v) for cat, v in sorted(pairs.items())}


def _as_rate(point, measured, predicted, band):
    """(measured, predicted, band) in the category's own sense: a time per step as the speed it implies, so
    an error reads the same on every row of a category (a speed predicted 5× too high is +400 %, not −80 %)."""
    if not _per_step(point):
        return measured, predicted, band
    return 1 / measured, 1 / predicted, None if band is None else (1 / band[1], 1 / band[0])


OVERHEAD_GRID_S = (0.0, 0.00025, 0.0005, 0.001, 0.0015, 0.002, 0.003, 0.004, 0.006, 0.008)
OVERHEAD_MIN_POINTS = 8  # an engine with fewer decode points takes the pooled overhead
SEARCH_SWEEPS = 12


def _fit_decode(points_raw) -> tuple:
    """Decode: step = raw step ÷ efficiency + o. The pooled o is the grid value whose efficiency fit
    (factors, as before) gives the smallest median |error|; then each engine with enough points takes
    its own o from the grid (the factors held), and the factors are fitted once more with those."""
    import statistics
    if not points_raw:
        return {}, {}

    def samples(o_of):
        out = []
        for p, r in points_raw:
            k = _decode_k(p)
            measured_step = k / p["value"] - o_of(p)
            if measured_step > 0:
                out.append((levels(p), (k / r) / measured_step))
        return out

    def errors(table, o_of, pts):
        cal = {"decode_efficiency": table}
        out = []
        for p, r in pts:
            predicted = _decode_prediction(p, r, _scale("decode_tokens_per_s", p, cal), o_of(p))
            out.append(abs(predicted / p["value"] - 1))
        return out

    best = None
    for o in OVERHEAD_GRID_S:  # a shorter back-fitting while searching; the tables returned take every sweep
        table = _fit_factors(samples(lambda p, o=o: o), sweeps=SEARCH_SWEEPS)
        err = statistics.median(errors(table, lambda p, o=o: o, points_raw))
        if best is None or err < best[0]:
            best = (err, o, table)
    _, pooled, _ = best
    table = _fit_factors(samples(lambda p: pooled))
    by_engine = {}
    for engine in sorted({Q.engine_family(p["engine"]) for p, _ in points_raw} - {None}):
        mine = [(p, r) for p, r in points_raw if Q.engine_family(p["engine"]) == engine]
        if len(mine) < OVERHEAD_MIN_POINTS:
            continue
        choice = min(OVERHEAD_GRID_S, key=lambda o: (statistics.median(errors(table, lambda p, o=o: o, mine)), o))
        by_engine[engine] = {"value": choice, "n": len(mine)}

    def o_of(p):
        entry = by_engine.get(Q.engine_family(p["engine"]))
        return entry["value"] if entry else pooled
    return _fit_factors(samples(o_of)), {"pooled": pooled, "n": len(points_raw), "by_engine": by_engine}


def _predict_with_raw(point, cal, raw):
    """predict() with the raw predictions already made (`raw`: {point id: raw value}; None: make them)."""
    return predict(point, cal, None if raw is None else (raw.get(point["id"]), "not predicted"))


def source_key(point) -> str:
    """An independent source: the repository a point came from (one author's several files are one
    source), else its file."""
    return point["source"].get("repo") or point["source_slug"]


def loso_predictions(points=None, raw=None) -> list:
    """(point, prediction) for every predicted point, each source predicted by a calibration fitted on
    every other source."""
    points = points if points is not None else corpus.points()
    raw = raw if raw is not None else {p["id"]: raw_prediction(p)[0] for p in points}
    out = []
    for source in sorted({source_key(p) for p in points}):
        cal = fit([p for p in points if source_key(p) != source], raw)
        for p in points:
            if source_key(p) == source:
                pred = _predict_with_raw(p, cal, raw)[0]
                if pred:
                    out.append((p, pred))
    return out


def _ratios(predictions, leave_out=None) -> dict:
    """category → measured ÷ predicted over (point, prediction) pairs, without the source `leave_out`."""
    out = {}
    for p, pred in predictions:
        if leave_out is None or source_key(p) != leave_out:
            measured, predicted, _ = _as_rate(p, p["value"], pred, None)
            out.setdefault(p["category"], []).append(measured / predicted)
    return out


def _loso_errors(predictions) -> dict:
    """Errors of the leave-one-source-out predictions; a point's band is the one the other sources give
    (their own leave-one-source-out ratios), so its coverage is measured on a source the band never saw."""
    bands_without = {src: ratio_bands(_ratios(predictions, src), hold_estimate=False)
                     for src in {source_key(p) for p, _ in predictions}}
    pairs = {}
    for p, pred in predictions:
        band = bands_without[source_key(p)].get(p["category"])
        pairs.setdefault(p["category"], []).append(_as_rate(p, p["value"], pred, _band_around(band, p, pred)))
    return {cat: _errors(v) for cat, v in sorted(pairs.items())}


def leave_one_source_out(points=None, raw=None) -> dict:
    """Each source predicted by a calibration fitted on every other source: median and p90 |error| per
    category, and how often the band (from the other sources) holds the measurement."""
    return _loso_errors(loso_predictions(points, raw))


def _row_error(point, predicted) -> float:
    """predicted ÷ measured − 1, in the category's sense (a time per step: the speed's, see _as_rate)."""
    measured, predicted, _ = _as_rate(point, point["value"], predicted, None)
    return predicted / measured - 1


def accuracy_rows(cal=None) -> list:
    """Every corpus point with its prediction, band, error and source (the Accuracy view's table)."""
    shipped = cal is None or cal is corpus.calibration()
    cal = corpus.calibration() if cal is None else cal
    stored = corpus.stored_predictions() if shipped else {}
    rows = []
    for p in corpus.points():
        if p["id"] in stored:  # predicted under the shipped calibration by `python -m taf calibrate`
            pred, reason = stored[p["id"]]
            band = None if pred is None else _band(cal, p, pred)
        else:  # a point added since, or a calibration given by the caller
            pred, band, reason = predict(p, cal)
        rows.append({"id": p["id"], "category": p["category"], "model": p["model"], "hardware": p["hardware"],
                     "engine": p["engine"], "weights": p.get("weights"), "setting": p["setting"],
                     "measured": p["value"], "unit": p["unit"], "predicted": pred,
                     "low": band[0] if band else None, "high": band[1] if band else None,
                     "error": None if not pred else _row_error(p, pred), "not_predicted": reason,
                     "quote": p["quote"], "source": p["source"], "notes": p.get("notes")})
    return rows


TARGETS = {"decode_tokens_per_s": {"median": 0.10, "p90": 0.25}, "kv_pool_tokens": {"median": 0.10},
           "weights_bytes": {"median": 0.02}, "training_gpu_hours": {"median": 0.25},
           "band_coverage": {"low": 0.70, "high": 0.90}}
BAND_BASIS = ("An 80 % band is the 10th–90th percentile of measured ÷ predicted when each source is predicted "
              "by a calibration fitted on the other sources (the shipped band widened, where both fall on one side, "
              "to hold the estimate itself; a time per step reads as the speed it implies); the leave-one-source-out coverage holds each source "
              "against a band made from the other sources' such ratios (fits that saw the source: the pessimistic "
              "side), the in-sample coverage every point against the "
              "shipped band.")
CATEGORY_LABELS = {"decode_tokens_per_s": "Decode speed", "prefill_tokens_per_s": "Prefill speed",
                   "time_to_first_token_s": "Time to first token", "kv_pool_tokens": "KV-pool tokens",
                   "weights_bytes": "Weights in memory", "training_gpu_hours": "Training GPU-hours",
                   "training_mfu": "Training MFU", "training_tokens_per_s_per_gpu": "Training tokens/s per GPU",
                   FINETUNE_CATEGORY: "Fine-tuning peak memory", FINETUNE_SPEED_CATEGORY: "Fine-tuning speed"}


def accuracy_report() -> dict:
    """The Accuracy view: every corpus point predicted by the app (with its band), measured, the error,
    the source and its quoted line; the summary per category in-sample and leave-one-source-out (from
    the calibration file), the targets, and the filter choices."""
    cal = corpus.calibration()
    rows = accuracy_rows(cal)
    summary = {"n_points": cal.get("n_points", len(rows)), "n_predicted": sum(1 for r in rows if r["predicted"]),
               "n_sources": cal.get("n_sources"), "corpus_hash": cal.get("corpus_hash"),
               "in_sample": cal.get("in_sample", {}), "leave_one_source_out": cal.get("leave_one_source_out", {})}
    return {"summary": summary, "targets": TARGETS, "category_labels": CATEGORY_LABELS, "band_basis": BAND_BASIS,
            "rows": rows,
            "filters": {"category": sorted({r["category"] for r in rows}), "engine": sorted({r["engine"] for r in rows}),
                        "hardware": sorted({r["hardware"] for r in rows})}}
