"""One function per quantity. Every recipe, the profile and compare call these — never a
formula of their own — so a quantity asked twice under the same conditions has one value.

Layer: formulas (pure) and data (catalog) below; recipes, profile and compare above. Inputs are
plain numbers, an architecture dict (formulas/memory.py) and GPU records from the catalog;
results are in SI units (bytes, s, tokens/s, USD)."""
from __future__ import annotations

from functools import lru_cache

from . import catalog
from . import corpus
from . import formulas as F
from .figures import SECONDS_PER_HOUR
from .formulas import _check as c
from .formulas import finetune as FT
from .formulas.memory import decode_rate

DEFAULT_ACHIEVED_BANDWIDTH = 0.6   # share of peak HBM bandwidth a serving stack reaches (H200: 0.44–0.75)
DEFAULT_MFU = 0.45                 # measured on H200 with attention FLOPs counted


def weights_bytes(n_params, bits_per_weight) -> float:
    """§19.3 — weight bytes = N · bits_per_weight ÷ 8 (all parameters: MoE experts all live in memory)."""
    return c.params(n_params, "n_params") * c.positive(bits_per_weight, "bits_per_weight", 128) / 8


def kv_cache(arch: dict, context, bytes_per_element) -> dict:
    """§19.1 by layer kind (formulas/memory.py) plus a sentence on how it grows with context."""
    kv = F.kv_cache_bytes_arch(arch, context, bytes_per_element)
    if kv["grows_with_context"]:
        growth = "grows with context length"
    elif kv["stops_growing_at"]:
        growth = f"stops growing at {kv['stops_growing_at']:,} tokens (sliding window)"
    else:
        growth = "does not grow with context length (constant recurrent state)"
    return {**kv, "growth": growth}


def kv_bytes(arch: dict, context, bytes_per_element) -> float:
    """§19.1 — KV bytes of one request at `context` tokens, by layer kind."""
    return F.kv_cache_bytes_arch(arch, context, bytes_per_element)["bytes"]


def kv_bytes_curve(arch: dict, contexts, bytes_per_element) -> list:
    """kv_bytes at many contexts (X-5's measured-versus-predicted rows): the architecture checked once."""
    return F.kv_cache_bytes_curve(arch, contexts, bytes_per_element)


GIB = 2 ** 30
UNIFIED_GPU_SHARE = 0.75  # macOS lets the GPU wire ~70–78% of RAM by default (when the catalog gives no share)


def device_memory_bytes(gpu: dict) -> float:
    """§20.3 — the memory one card exposes, in bytes: the catalog's reported total (a card sold as
    "80 GB" exposes about 80 GiB, not 80·10⁹ B), else its marketed size read as GiB; unified memory
    (Apple, DGX Spark): the share of RAM the GPU may use by default."""
    total = float(gpu.get("memory_bytes") or gpu["vram_gb"] * GIB)
    if gpu.get("memory_kind") == "unified":
        total *= gpu.get("gpu_usable_share") or UNIFIED_GPU_SHARE
    return total


def usable_memory_bytes(gpu: dict, n_gpus, memory_utilization) -> float:
    """§20.3 — memory a serving stack may fill: device bytes × n_gpus × memory_utilization (X-5; X-FIT's
    ideal engine)."""
    return usable_memory_bytes_on([gpu], n_gpus, memory_utilization)[0]


def usable_memory_bytes_on(gpus: list, n_gpus, memory_utilization) -> list:
    """usable_memory_bytes on each of several GPUs (X-5's eligibility test): the inputs validated once."""
    n = c.count(n_gpus, "n_gpus", c.L.MAX_GPUS)
    share = c.fraction(memory_utilization, "memory_utilization")
    return [device_memory_bytes(gpu) * n * share for gpu in gpus]


def decode_tokens_per_s(active_weights_bytes, kv_bytes_per_request, concurrent_users, gpu: dict,
                        achieved_bandwidth_fraction=DEFAULT_ACHIEVED_BANDWIDTH, weights_key=None,
                        overhead_s=None) -> dict:
    """§19.7 with the KV cache — one decode step reads the active weights once and every request's
    KV cache once, plus a fixed time per step (kernel launches, sampling, scheduling): step = (W +
    users·KV) ÷ (f·HBM) + o; per request = 1 ÷ step; all requests = users × that. f None: the
    calibrated efficiency for this weight format on this GPU's memory kind; o None: the calibrated
    overhead of engines pooled."""
    return decode_tokens_per_s_on([gpu], active_weights_bytes, kv_bytes_per_request, concurrent_users,
                                  achieved_bandwidth_fraction, weights_key, overhead_s)[0]


def decode_tokens_per_s_on(gpus: list, active_weights_bytes, kv_bytes_per_request, concurrent_users,
                           achieved_bandwidth_fraction=DEFAULT_ACHIEVED_BANDWIDTH, weights_key=None,
                           overhead_s=None) -> list:
    """decode_tokens_per_s on each of several GPUs (X-5's table): the inputs validated once, then
    §19.7 (formulas/memory.py) per GPU with its bandwidth."""
    users = c.count(concurrent_users, "concurrent_users", 10**7)
    read = c.positive(active_weights_bytes, "active_weights_bytes", 1e16) + \
        users * c.nonneg(kv_bytes_per_request, "kv_bytes_per_request", 1e16)
    given = None if achieved_bandwidth_fraction is None else \
        c.fraction(achieved_bandwidth_fraction, "achieved_bandwidth_fraction")
    overhead = calibrated_decode_overhead(None)[0] if overhead_s is None else \
        c.nonneg(overhead_s, "decode_overhead_s", MAX_DECODE_OVERHEAD_S)
    out = []
    by_kind = {}  # the calibrated efficiency depends on the memory kind only: once per kind
    for gpu in gpus:
        bandwidth = c.positive(gpu["hbm_gb_per_s"], "hbm_gb_per_s", c.L.MAX_BANDWIDTH_GB_S)
        frac = given
        if frac is None:
            kind = gpu.get("memory_kind")
            if kind not in by_kind:
                by_kind[kind] = calibrated_decode_efficiency(None, weights_key, gpu)[0]
            frac = by_kind[kind]
        per_request = 1 / (1 / decode_rate(read, bandwidth, frac) + overhead)
        out.append({"per_request": per_request, "total": per_request * users, "achieved_bandwidth_fraction": frac,
                    "overhead_s": overhead})
    return out


def usd_per_million_tokens(tokens_per_s, usd_per_hour):
    """§19.9 / §20.12 — USD per million generated tokens = USD/h ÷ (tokens/s · 3600 ÷ 1e6); None if unpriced."""
    if usd_per_hour is None:
        return None
    return usd_per_hour / (c.positive(tokens_per_s, "tokens_per_s", 1e15) * SECONDS_PER_HOUR / 1e6)


def training_flops(n_params_active, tokens, convention="6N", n_layers=None, d_model=None, seq_len=None) -> dict:
    """§17.10 — C = FLOPs per token × D, with 6·N or 6·N + 12·L·d·T per token."""
    per_token = F.training_flops_per_token(n_params_active, n_layers, d_model, seq_len, convention)
    return {**per_token, "flops": per_token["flops_per_token"] * c.tokens(tokens, "D_tokens")}


def training_run(total_flops, gpu: dict, n_gpus, mfu, usd_per_gpu_hour) -> dict:
    """§20.11 — wall time = C ÷ (peak·MFU·n_gpus); GPU-hours = time·n_gpus; USD = GPU-hours·USD/h."""
    seconds = F.training_seconds(c.positive(total_flops, "total_flops", c.L.MAX_FLOPS), gpu["bf16_tflops"],
                                 c.fraction(mfu, "mfu"), c.count(n_gpus, "n_gpus", c.L.MAX_GPUS))
    gpu_hours = seconds / SECONDS_PER_HOUR * n_gpus
    return {"seconds": seconds, "gpu_hours": gpu_hours,
            "usd": None if usd_per_gpu_hour is None else gpu_hours * usd_per_gpu_hour}


def gpu_price(gpu: dict, override=None):
    """§20 — the hourly price used: the caller's, else the catalog's (None = unpriced local card)."""
    return F.resolve_gpu_price(gpu, override)


def gpu(name) -> dict:
    """A GPU record from the catalog (name, vram_gb, hbm_gb_per_s, bf16_tflops, usd_per_hour …)."""
    return catalog.gpu(name)


# ---- calibrated achieved figures (presets/calibration.json, fitted by `python -m taf calibrate`) -------

def engine_family(engine):
    """The calibration's engine key: the engine's name (each 'other:…' engine is its own); the ideal
    engine is no engine (it takes the widest group)."""
    if engine in (None, "ideal"):
        return None
    return str(engine)


def weight_family(weights):
    """The calibration's weight-format key: gguf, 16-bit, fp8, int8 or int4 (None: unknown)."""
    if weights is None:
        return None
    w = str(weights)
    if w[:1] in ("Q", "I") and ("_" in w):  # GGUF types as llama.cpp prints them (Q4_K_M, IQ4_XS …)
        return "gguf"
    if w in ("bf16", "fp16", "fp32", "F16", "BF16", "F32"):
        return "16-bit"
    if w == "fp8":
        return "fp8"
    if w in ("int8", "gptq-int8", "bnb-int8"):
        return "int8"
    if w in ("int4", "gptq-int4", "awq-int4", "bnb-nf4"):
        return "int4"
    return None


def weight_family_from_bits(bits_per_weight):
    """A weight family for recipes that take bytes per weight (X-1, X-5)."""
    return "16-bit" if bits_per_weight >= 12 else "int8" if bits_per_weight >= 6 else "int4"


FACTORS = ("engine", "weights", "memory", "engine_memory")  # a calibrated efficiency = exp(intercept + Σ factor effects)


def efficiency_levels(engine, weights_key, memory_kind) -> dict:
    """The factor levels a setting has (None: unknown, contributes nothing)."""
    family = engine_family(engine)
    return {"engine": family, "weights": weights_key, "memory": memory_kind,
            "engine_memory": f"{family}|{memory_kind}" if family and memory_kind else None}


def factor_value(table: dict, levels: dict, lo_hi=(0.02, 1.0)):
    """exp(intercept + the effects of the levels the table knows), clipped; None without a table.
    Returns (value, the levels used)."""
    if "intercept" not in table:
        return None, ()
    import math
    log_value, used = table["intercept"], []
    for factor in FACTORS:
        effect = table.get(factor, {}).get(levels.get(factor))
        if effect is not None:
            log_value += effect["effect"]
            used.append(f"{factor}={levels[factor]}")
    return min(max(math.exp(log_value), lo_hi[0]), lo_hi[1]), tuple(used)


def _calibrated(table_name, levels, default, lo_hi):
    return _calibrated_cached(corpus.generation(), table_name, tuple(levels.items()), default, lo_hi)


@lru_cache(maxsize=1024)
def _calibrated_cached(_generation, table_name, levels, default, lo_hi):
    """(value, where from) — cached per calibration generation (values are immutable: floats and text)."""
    levels = dict(levels)
    table = corpus.calibration().get(table_name, {})
    value, used = factor_value(table, levels, lo_hi)
    if value is None:
        return default, "default (no calibration)"
    return value, f"calibrated on {table.get('n', 0)} measurements ({', '.join(used) or 'overall'})"


def calibrated_decode_efficiency(engine, weights_key, gpu: dict) -> tuple:
    """(achieved share of bandwidth, where it came from): the calibration's factors for this engine,
    weight format and memory kind, else DEFAULT_ACHIEVED_BANDWIDTH."""
    return _calibrated("decode_efficiency", efficiency_levels(engine, weights_key, gpu.get("memory_kind")),
                       DEFAULT_ACHIEVED_BANDWIDTH, (0.02, 1.0))


MAX_DECODE_OVERHEAD_S = 1.0


def calibrated_decode_overhead(engine) -> tuple:
    """(seconds a decode step adds whatever it reads — kernel launches, sampling, scheduling —, where
    from): the calibration's value for this engine, else the value fitted on every engine, else 0."""
    return _decode_overhead(corpus.generation(), engine_family(engine))


@lru_cache(maxsize=64)
def _decode_overhead(_generation, engine):
    return overhead_value(corpus.calibration().get("decode_overhead_s") or {}, engine)


def overhead_value(table: dict, engine) -> tuple:
    """(seconds, where from) from a calibration's decode-overhead table: the engine family's own value,
    else the pooled one, else 0 (the accuracy fit reads its tables with this too)."""
    entry = (table.get("by_engine") or {}).get(engine) if engine else None
    if entry is not None:
        return entry["value"], f"calibrated for {engine} on {entry['n']} measurements"
    if "pooled" in table:
        return table["pooled"], f"calibrated on {table.get('n', 0)} measurements (engines pooled)"
    return 0.0, "none (no calibration)"


def calibrated_prefill_mfu(engine, gpu: dict, weights_key=None) -> tuple:
    return _calibrated("prefill_mfu", efficiency_levels(engine, weights_key, gpu.get("memory_kind")),
                       DEFAULT_MFU, (0.01, 0.95))


def peak_flops(gpu: dict, fp8: bool = False) -> tuple:
    """(dense peak FLOP/s, dtype) a compute-bound pass runs at: fp8 where the work is fp8 and the card
    has an fp8 path, else bf16 (prefill, decode's roofline, training MFU)."""
    peaks = gpu.get("peak_tflops") or {}
    if fp8 and peaks.get("fp8"):
        return peaks["fp8"] * 1e12, "fp8"
    return (peaks.get("bf16") or gpu["bf16_tflops"]) * 1e12, "bf16"


def training_peak_flops(gpu: dict, weights=None) -> float:
    """Peak FLOP/s a training run counts MFU against: fp8 where the run used fp8 and the card has it."""
    return peak_flops(gpu, weights == "fp8")[0]


def training_mfu(training: dict, n_params_active):
    """The calibration's training MFU at this model size (a + b·log10(N/1e9), clipped), or None."""
    if "mfu_intercept" not in training:
        return None
    import math
    lo, hi = training.get("mfu_range", (0.02, 0.9))
    value = training["mfu_intercept"] + training["mfu_slope_per_decade"] * math.log10(n_params_active / 1e9)
    return min(max(value, lo), hi)


def band_ratios(category):
    """The calibration's 80 % interval of measured ÷ predicted for a category, from predictions of
    sources left out of the fit: (low, high) or None."""
    return _band_ratios(corpus.generation(), category)


@lru_cache(maxsize=64)
def _band_ratios(_generation, category):
    entry = corpus.calibration().get("bands", {}).get(category)
    return None if entry is None else (entry["low"], entry["high"])


UNSEEN_ERROR_LIMIT = 0.25  # a figure predicted worse than this for sources left out of the fit says so


def unseen_prediction_error(category):
    """(median |error|, n) of the category's predictions for sources left out of the fit (the
    calibration's leave-one-source-out evaluation), or None where it was not evaluated."""
    return _unseen_prediction_error(corpus.generation(), category)


@lru_cache(maxsize=64)
def _unseen_prediction_error(_generation, category):
    entry = corpus.calibration().get("leave_one_source_out", {}).get(category)
    if not entry or entry.get("median_abs_error") is None:
        return None
    return entry["median_abs_error"], entry["n"]


GOODPUT_REFERENCE_FLOPS = 312e12  # an A100's dense bf16 peak: the goodput's speed predictor is 0 there


def goodput_predictors(n_params_active, gpu: dict) -> tuple:
    """(log10 of the active parameters in billions, log10 of the GPU's dense bf16 peak ÷ an A100's)."""
    import math
    return math.log10(n_params_active / 1e9), math.log10(gpu["bf16_tflops"] * 1e12 / GOODPUT_REFERENCE_FLOPS)


def training_goodput(training: dict, n_params_active, gpu: dict) -> float:
    """The share of a published run's GPU-hours the fitted MFU accounts for (restarts, evaluation, extra
    stages, and a faster GPU kept less busy): exp(g0 + g1·log10(N/1e9) + g2·log10(peak/312 TFLOP/s)),
    at most 1; 1 without a fit. Outside the sizes and GPU speeds it was fitted on, the predictors are
    held at the nearest end (no extrapolation)."""
    if "goodput_intercept" not in training:
        return 1.0
    import math
    size, speed = goodput_predictors(n_params_active, gpu)
    size = _within(size, training.get("goodput_size_range"))
    speed = _within(speed, training.get("goodput_peak_range"))
    return min(1.0, math.exp(training["goodput_intercept"] + training["goodput_slope_per_decade"] * size
                             + training.get("goodput_slope_per_peak_decade", 0.0) * speed))


def _within(x, bounds):
    return x if not bounds else min(max(x, bounds[0]), bounds[1])


def goodput_extrapolated(n_params_active, gpu: dict) -> str:
    """Words for a model size or GPU speed outside what the goodput was fitted on ('' inside it)."""
    training = corpus.calibration().get("training", {})
    size, speed = goodput_predictors(n_params_active, gpu)
    out = []
    lo, hi = training.get("goodput_size_range") or (size, size)
    if not lo <= size <= hi:
        out.append(f"this model size is outside the published runs ({10 ** lo:,.2g}–{10 ** hi:,.3g} B active "
                   "parameters): held at the nearest")
    lo, hi = training.get("goodput_peak_range") or (speed, speed)
    if not lo <= speed <= hi:
        ref = GOODPUT_REFERENCE_FLOPS / 1e12
        out.append(f"this GPU's speed is outside the published runs' ({ref * 10 ** lo:,.0f}–{ref * 10 ** hi:,.0f} "
                   "dense bf16 TFLOP/s): held at the nearest")
    return "; ".join(out)


def calibrated_training_mfu(n_params_active, gpu: dict) -> tuple:
    """(effective MFU of a whole training run, where it came from): the calibration's MFU at this size
    times its goodput on this GPU, else DEFAULT_MFU."""
    return _calibrated_training_mfu(corpus.generation(), n_params_active, gpu["bf16_tflops"])


@lru_cache(maxsize=1024)
def _calibrated_training_mfu(_generation, n_params_active, bf16_tflops) -> tuple:
    training = corpus.calibration().get("training", {})
    mfu = training_mfu(training, n_params_active)
    if mfu is None:
        return DEFAULT_MFU, "default (no calibration)"
    gpu = {"bf16_tflops": bf16_tflops}
    outside = goodput_extrapolated(n_params_active, gpu)
    return mfu * training_goodput(training, n_params_active, gpu), \
        f"calibrated on {training.get('n_mfu', 0)} throughput and {training.get('n_gpu_hours', 0)} GPU-hour " \
        f"measurements" + (f" ({outside})" if outside else "")


# ---- fine-tuning memory (§17.21, formulas/finetune.py) --------------------------------------------------

FINETUNE_METHODS = ("full", "lora", "qlora")
MAX_MICRO_BATCH = 10**5
MAX_FINETUNE_GPUS = 4096
FINETUNE_SHARDING = ("none", "fsdp")
# FSDP holds the layer it computes and the next one it prefetches unsharded (PyTorch FSDP's limit_all_gathers:
# at most two consecutive units' all-gathers in flight), and the root unit (embeddings, final norm, LM head) for
# the whole step (FullyShardedDataParallel does not reshard the root after its forward)
FSDP_GATHERED_LAYERS = 2


def finetune_memory(shape: dict, method, precision, optimizer, lora_rank, lora_targets, micro_batch, seq_len,
                    checkpointing, n_gpus=1, sharding="none") -> dict:
    """§17.21 — one GPU's memory at the peak of a fine-tuning step (what torch.cuda.max_memory_allocated
    reports): the weights, the trained parameters' gradients and optimizer states (÷ n_gpus under FSDP's
    full sharding, plus the layers it gathers), the stored activations and the logits.
    `shape`: n_params, n_layers, d_model, n_attention_heads, n_kv_heads, d_head, intermediate_size,
    vocab_size, gated (bool). Returns the trained parameter count, the items (name, bytes, rule), their
    sum, the bytes that do not grow with the tokens, and those that do per token (activations + logits), for
    solving the largest sequence."""
    method = FT.check_choice("method", method, FINETUNE_METHODS)
    sharding = FT.check_choice("sharding", sharding, FINETUNE_SHARDING)
    layers = c.count(shape["n_layers"], "n_layers", c.L.MAX_LAYERS)
    n_params = c.params(shape["n_params"], "n_params")
    shapes = FT.layer_linear_shapes(shape["d_model"], shape["n_attention_heads"], shape["n_kv_heads"],
                                            shape["d_head"], shape["intermediate_size"], shape["gated"])
    linear = layers * FT.layer_linear_params(shapes)
    if linear > n_params:
        raise c.InputError("n_params", f"n_params ({n_params:,.0f}) is smaller than the {linear:,} weights these layer "
                           "shapes hold in their linears alone: check n_params or the shapes")
    gpus = c.count(n_gpus, "n_gpus", c.L.MAX_GPUS)
    shards = gpus if sharding == "fsdp" else 1
    if method == "full":
        trained = n_params
        state = FT.trained_state_bytes(trained, precision, optimizer)
        weights, base_rule = state["weights"], f"N × {FT.PRECISION_BYTES[precision][0]} bytes"
    else:
        trained = FT.lora_params(shapes, layers, lora_rank, lora_targets)
        state = FT.trained_state_bytes(trained, precision, optimizer)
        weights = FT.base_weight_bytes(n_params, linear, method) + state["weights"]
        base_rule = ("frozen base at 2 bytes per weight" if method == "lora" else
                     f"frozen base: layer linears at {FT.BITS_NF4_DOUBLE_QUANT:.3f} bits (NF4 + double "
                     "quantization), the rest at 2 bytes") + " + the adapters"
    tokens = c.count(micro_batch, "micro_batch_size", MAX_MICRO_BATCH) * c.count(seq_len, "seq_len", c.L.MAX_CONTEXT)
    q_dim, kv_dim = shapes["q"][1], shapes["k"][1]
    per_layer = FT.activation_elements_per_token_layer(shape["d_model"], q_dim, kv_dim,
                                                               shape["intermediate_size"], shape["gated"])
    activations = FT.activation_bytes(tokens, layers, per_layer, shape["d_model"], checkpointing)
    logits = FT.logits_bytes(tokens, shape["vocab_size"])
    gathered = 0.0
    if shards > 1:  # the prefetched layers and the root unit (the non-layer weights: 16-bit in every method)
        gathered = FSDP_GATHERED_LAYERS * (linear / layers) * (2.0 if method != "qlora" else
                                                                 FT.BITS_NF4_DOUBLE_QUANT / 8) + (n_params - linear) * 2.0
    items = [
        ("weights", weights / shards, base_rule + (f", ÷ {shards} (FSDP)" if shards > 1 else "")),
        ("gradients", state["gradients"] / shards, f"trained parameters × {FT.PRECISION_BYTES[precision][1]} bytes"
         + (f", ÷ {shards}" if shards > 1 else "")),
        ("optimizer states", state["optimizer"] / shards, f"{optimizer}: trained parameters × "
         f"{state['optimizer'] / trained if trained else 0:g} bytes" + (f", ÷ {shards}" if shards > 1 else "")),
        ("FSDP gathered layers", gathered, f"{FSDP_GATHERED_LAYERS} layers' weights and the root unit (embeddings, "
         "head) unsharded"),
        ("activations", activations, ("checkpointed: each layer's input + one layer recomputed" if checkpointing
                                      else "every layer's stored tensors") + f", {tokens:,} tokens"),
        ("logits", logits, f"{tokens:,} tokens × vocabulary × {FT.LOGIT_BYTES_PER_ELEMENT} bytes"),
    ]
    per_token = (activations + logits) / tokens
    return {"trained_params": trained, "linear_params": linear, "items": items,
            "peak_bytes": sum(b for _, b, _ in items), "bytes_per_token": per_token, "tokens": tokens,
            "fixed_bytes": sum(b for name, b, _ in items if name not in ("activations", "logits")),
            "activation_elements_per_token_layer": per_layer}


FINETUNE_FACTOR_RANGE = (0.5, 4.0)  # measured ÷ counted peaks the calibration may apply


def finetune_group(method, sharding, n_gpus) -> str:
    """The calibration group of a fine-tuning run: its method, and whether FSDP shards it over GPUs."""
    return f"{method}+fsdp" if sharding == "fsdp" and n_gpus > 1 else method


def calibrated_finetune_factor(method, sharding, n_gpus) -> tuple:
    """(measured ÷ counted peak, where from, whether published runs of this group calibrate it): the
    calibration's factor for this group of runs (published peaks of the same method and sharding,
    presets/calibration.json), else its unsharded method's, else 1 (the count itself)."""
    return _calibrated_finetune_factor(corpus.generation(), finetune_group(method, sharding, n_gpus))


@lru_cache(maxsize=64)
def _calibrated_finetune_factor(_generation, group) -> tuple:
    table = corpus.calibration().get("finetune_factor", {})
    entry = table.get(group)
    if entry:
        return entry["factor"], f"published {group} runs measured {entry['factor']:.2f}× their count (n = {entry['n']})", True
    method = group.split("+")[0]
    if method != group and table.get(method):  # sharded runs of a method no sharded run calibrates
        unsharded = table[method]
        return unsharded["factor"], (f"no published {group} runs: the unsharded {method} runs' "
                                     f"{unsharded['factor']:.2f}× (n = {unsharded['n']})"), False
    return 1.0, f"no published {group} runs: the count itself", False


# ---- fine-tuning speed (§17.10/§20.11, formulas/finetune.py) --------------------------------------------

FINETUNE_EFFICIENCY_RANGE = (0.02, 0.9)  # achieved ÷ dense bf16 peak FLOP/s the calibration may apply


def finetune_speed(shape: dict, method, trained_params, seq_len, checkpointing, gpu: dict, n_gpus, efficiency) -> dict:
    """§17.10/§20.11 — a fine-tuning run's FLOPs per token (formulas.finetune.flops_per_token, attention
    over the query width) and the tokens it trains per second on all its GPUs: n_gpus · dense bf16 peak
    · efficiency ÷ FLOPs per token (training_run's rate, per token)."""
    attention_dim = (c.count(shape["n_attention_heads"], "n_attention_heads", c.L.MAX_HEADS)
                     * c.count(shape["d_head"], "d_head", c.L.MAX_HEAD_DIM))
    flops = FT.flops_per_token(shape["n_params"], trained_params, method, shape["n_layers"], attention_dim,
                               seq_len, checkpointing)
    rate = (c.count(n_gpus, "n_gpus", c.L.MAX_GPUS) * gpu["bf16_tflops"] * 1e12 * c.fraction(efficiency, "speed_efficiency")
            / flops["flops_per_token"])
    return {**flops, "tokens_per_s": rate}


def calibrated_finetune_efficiency(method, sharding, n_gpus) -> tuple:
    """(achieved ÷ dense bf16 peak on the counted FLOPs, where from, how many sources ran the method): the
    calibration's value for this group of runs (presets/calibration.json: finetune_efficiency), else the
    mean framework's full fine-tune, else DEFAULT_MFU."""
    return _calibrated_finetune_efficiency(corpus.generation(), finetune_group(method, sharding, n_gpus))


@lru_cache(maxsize=64)
def _calibrated_finetune_efficiency(_generation, group) -> tuple:
    return finetune_efficiency_in(corpus.calibration().get("finetune_efficiency", {}), group)


def finetune_efficiency_in(table: dict, group) -> tuple:
    """(efficiency, where from, sources) for a group of runs in a fitted table {group: {"efficiency", "n",
    "n_sources"}, "all": …} (accuracy._fit_finetune_speed): the group's, else "all", else DEFAULT_MFU."""
    entry = table.get(group)
    if entry:
        sources = entry["n_sources"]
        method, sharded = group.split("+")[0], "+" in group
        return entry["efficiency"], (f"{entry['efficiency'] * 100:.0f}% of the dense bf16 peak on these FLOPs: the "
                                     f"mean framework's, with the {method}" + (" and FSDP effects" if sharded else
                                                                                " effect")
                                     + f" fitted on {sources} source{'s' if sources != 1 else ''}' published runs "
                                     f"({entry['n']} of this kind)"), sources
    if table.get("all"):
        return table["all"]["efficiency"], (f"no published {group} speeds: the mean framework's full fine-tune, "
                                            f"{table['all']['efficiency'] * 100:.0f}%"), 0
    return DEFAULT_MFU, f"no published fine-tuning speeds: the default MFU {DEFAULT_MFU:g}", 0
