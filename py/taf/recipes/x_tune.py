"""X-TUNE — will this fine-tune fit, and how long will it take? Full fine-tuning, LoRA or QLoRA of a model on
N GPUs: the peak memory per GPU item by item (weights, gradients, optimizer states, activations, logits), its
band from published runs, whether it fits, the longest sequence that does, and what to change when it does
not; then the FLOPs per trained token, the tokens per second (a calibrated share of the GPUs' bf16 peak) and,
given the data's size, the run's time and cost."""
from __future__ import annotations

import itertools
import math

from .. import catalog
from .. import quantities as Q
from ..errors import InputError
from ..formulas import finetune as FT
from ..formulas import limits as L
from ..formulas.serving import DRIVER_CONTEXT_BYTES
from ..config_import import FAMILIES
from .base import GPU, GPU_PRICE, Param, Recipe, Verdict, check_kv_heads, model_param
from .charts import line_chart
from .common import band_figures

CATEGORY = "finetune_peak_memory_bytes"  # the calibration category of the peak (presets/measurements)
SPEED_CATEGORY = "finetune_tokens_per_s"  # … and of the training speed
PLAIN_MLP_FAMILIES = ("EleutherAI",)  # hand-written presets with an up/down MLP (Pythia: GPT-NeoX, GELU)
MODEL = dict(optional=True, group="model")
MAX_FSDP_GPUS = Q.MAX_FINETUNE_GPUS
MLP_KINDS = ("gated", "plain")

PARAMS = [
    model_param("n_params", aliases=("N_params",)),
    model_param("n_layers"), model_param("n_attention_heads", optional=True),
    model_param("n_kv_heads", optional=True), model_param("d_head", optional=True),
    Param("d_model", "integer", "hidden size (hidden_size in config.json)", min=1, max=10**7, group="model"),
    Param("intermediate_size", "integer", "MLP width (intermediate_size in config.json); empty = the catalog's "
          "config, else solved from the parameter count", min=1, max=10**7, **MODEL),
    Param("vocab_size", "integer", "vocabulary size (vocab_size in config.json)", min=1, max=10**8, group="model"),
    Param("tie_word_embeddings", "boolean", "the output head shares the embedding matrix", **MODEL),
    Param("mlp", "choice", "MLP kind: gated (gate, up and down: SwiGLU, GeGLU) or plain (up and down: GELU); "
          "empty = the model's config family", choices=MLP_KINDS, **MODEL),
    Param("method", "choice", "full fine-tuning, LoRA adapters on a frozen bf16 base, or QLoRA (the base in "
          "4-bit NF4)", default="lora", choices=Q.FINETUNE_METHODS),
    GPU.renamed(default="RTX 4090"),
    Param("n_gpus", "integer", "GPUs training together (data parallel)", unit="GPUs", default=1, min=1,
          max=Q.MAX_FINETUNE_GPUS),
    Param("sharding", "choice", "none = each GPU holds everything (DDP); fsdp = weights, gradients and "
          "optimizer states split across the GPUs (FSDP full shard / ZeRO-3)", default="none",
          choices=Q.FINETUNE_SHARDING),
    Param("micro_batch_size", "integer", "sequences per GPU per step", unit="sequences", default=1, min=1,
          max=Q.MAX_MICRO_BATCH),
    Param("seq_len", "integer", "tokens per sequence", unit="tokens", default=2048, min=1, max=L.MAX_CONTEXT,
          aliases=("max_seq_length",)),
    Param("gradient_checkpointing", "boolean", "recompute each layer in the backward pass instead of "
          "storing its activations", default=True),
    Param("precision", "choice", "bf16 = weights, gradients and optimizer states in bf16 (litgpt bf16-true, "
          "torchtune); mixed = fp32 copies with bf16 compute (16 bytes per trained parameter with AdamW)",
          default="bf16", choices=tuple(FT.PRECISION_BYTES), group="parameter"),
    Param("optimizer", "choice", "optimizer whose states are kept", default="adamw", choices=tuple(FT.OPTIMIZERS),
          group="parameter"),
    Param("lora_rank", "integer", "LoRA/QLoRA: adapter rank r", default=16, min=1, max=65536, group="parameter"),
    Param("lora_targets", "choice", "LoRA/QLoRA: layers with adapters (qv = query and value; all_linear = every "
          "linear of attention and MLP)", default="all_linear", choices=tuple(FT.LORA_TARGETS), group="parameter"),
    Param("peak_factor", "number", "measured ÷ counted peak for your framework; empty = calibrated on published "
          "runs of this method and sharding (presets/calibration.json)", optional=True, min=0.1, max=10,
          group="parameter"),
    Param("dataset_tokens", "number", "token positions in one pass over your data: examples × seq_len unless "
          "packed (padding is computed too); empty = the speed only, no run time", unit="tokens", optional=True,
          min=0, max=L.MAX_TOKENS, min_exclusive=True),
    Param("epochs", "number", "passes over the data", default=1.0, min=0, max=1e4, min_exclusive=True),
    GPU_PRICE,
    Param("speed_efficiency", "number", "share of the GPU's dense bf16 peak a step reaches on the counted FLOPs; "
          "empty = calibrated on published runs of this method (presets/calibration.json)", optional=True,
          min=1e-3, max=1, group="parameter"),
]


# The inputs of a run that quantities.finetune_memory counts, in its argument order
RUN_INPUTS = ("method", "precision", "optimizer", "lora_rank", "lora_targets", "micro_batch_size", "seq_len",
              "gradient_checkpointing", "n_gpus", "sharding")


def _count(shape, p) -> dict:
    """§17.21 — the counted items of the run `p` (the recipe's inputs, or a rescue's changed copy)."""
    return Q.finetune_memory(shape, *(p[k] for k in RUN_INPUTS))


def _mlp_width(p, record, config) -> tuple:
    """(intermediate_size, where from): the input, the catalog's config of this model, or solved from the
    parameter count (embeddings + layers' attention and MLP weights)."""
    if p["intermediate_size"] is not None:
        return p["intermediate_size"], "the inputs or the model's config"
    if config.get("intermediate_size"):
        return config["intermediate_size"], "the catalog's config.json of this model"
    d, layers = p["d_model"], p["n_layers"]
    q, kv = p["n_attention_heads"] * p["d_head"], p["n_kv_heads"] * p["d_head"]
    embeddings = p["vocab_size"] * d * (1 if _tied(p, config) else 2)
    attention = layers * (2 * d * q + 2 * d * kv)
    per_unit = layers * d * (3 if _gated(p, record, config) else 2)
    width = round((p["n_params"] - embeddings - attention) / per_unit)
    if width < 1:
        raise InputError("intermediate_size", "the parameter count is too small for these layer shapes to leave "
                         "any MLP: enter intermediate_size (config.json) or check n_params")
    return width, "solved from the parameter count (no config gives it)"


def _tied(p, config) -> bool:
    if p["tie_word_embeddings"] is not None:
        return p["tie_word_embeddings"]
    return bool(config.get("tie_word_embeddings"))


def _gated(p, record, config) -> bool:
    if p["mlp"] is not None:
        return p["mlp"] == "gated"
    kind = config.get("mlp")
    if kind is not None:
        return kind == "gated"
    return record.get("family") not in PLAIN_MLP_FAMILIES


def _not_modelled(record, p) -> str | None:
    """Why this model's fine-tuning memory is outside what the formulas describe (None if it is inside)."""
    name = record.get("label") or "This model"
    if (p["arch"].get("attention") or "full") in ("recurrent", "hybrid", "mla") or \
            p["arch"].get("position_encoding") == "none":
        return (f"{name} is not a plain attention transformer ({p['arch'].get('attention')} layers): the stored "
                "activations counted here are an attention layer's and an MLP's.")
    family = record.get("config_family")
    if family is not None and not any(f.name == family for f in FAMILIES.values()):
        return (f"{name} is a {family!r} model, a family X-TUNE does not know the layers of: it counts the "
                "decoder-only families it knows (an encoder or an encoder–decoder keeps other tensors).")
    if record.get("n_experts") or (p["arch"].get("n_params_active") or p["n_params"]) < p["n_params"]:
        return (f"{name} is a mixture of experts: which experts' activations are stored, and LoRA on each "
                "expert, are not modelled here.")
    return None


def compute(p, chain, caveats):
    record = p["model_record"]
    gpu = Q.gpu(p["gpu"])
    why_not = _not_modelled(record, p)
    if why_not:
        caveats.add("finetune_architecture_not_modelled", why_not)
        return Verdict("NOT MODELLED", "unknown", why_not, "Measure a short run (torch.cuda.max_memory_allocated) "
                       "before planning on a figure for it.")
    for field in ("n_attention_heads", "n_kv_heads", "d_head"):
        if p[field] is None:
            raise InputError(field, f"{field} is required: the attention's shape sets the adapters and activations "
                             "(or choose a model preset)")
    config = catalog.config_fields_of(p["model_id"]) if p["model_id"] else {}
    width, width_from = _mlp_width(p, record, config)
    gated = _gated(p, record, config)
    shape = {"n_params": p["n_params"], "n_layers": p["n_layers"], "d_model": p["d_model"],
             "n_attention_heads": p["n_attention_heads"], "n_kv_heads": p["n_kv_heads"], "d_head": p["d_head"],
             "intermediate_size": width, "vocab_size": p["vocab_size"], "gated": gated}
    method, lora = p["method"], p["method"] != "full"
    mem = _count(shape, p)
    at = {"method": method, "precision": p["precision"], "optimizer": p["optimizer"],
          **({"lora_rank": p["lora_rank"], "lora_targets": p["lora_targets"]} if lora else {}),
          "n_gpus": p["n_gpus"], "sharding": p["sharding"]}
    chain.add("§17.21", "Layer shapes", "linears per layer: q, k, v, o + " + ("gate, up, down (gated MLP)" if gated
              else "up, down (plain MLP)"),
              {"d_model": p["d_model"], "intermediate_size": width, "intermediate_size_from": width_from,
               "n_layers": p["n_layers"], "linear_params": mem["linear_params"], "n_params": p["n_params"]},
              mem["linear_params"], f"{mem['linear_params']:,.0f} weights in the layers' linears "
              f"({mem['linear_params'] / p['n_params'] * 100:,.0f}% of {p['n_params']:,.3g}); MLP width {width:,} "
              f"({width_from})", unit="params")
    if width_from.startswith("solved"):
        caveats.add("mlp_width_solved", f"The MLP width ({width:,}) is solved from the parameter count: enter "
                    "intermediate_size from config.json for exact adapter counts and activations.")
    trained_rule = "N (every weight)" if not lora else \
        f"n_layers · Σ r·(d_in + d_out) over {p['lora_targets']} (r = {p['lora_rank']}; Hu et al. 2021)"
    chain.add("§17.21", "Trained parameters", trained_rule, {"method": method, "n_params": p["n_params"]},
              mem["trained_params"], f"{mem['trained_params']:,.0f} trained parameters "
              f"({mem['trained_params'] / p['n_params'] * 100:.3g}% of the model)", unit="params",
              figures={"finetune_trained_params": mem["trained_params"]},
              at={k: at[k] for k in ("method", "lora_rank", "lora_targets") if k in at})
    items = {name: (value, rule) for name, value, rule in mem["items"]}
    figure_of = {"weights": "finetune_weights_bytes", "gradients": "finetune_gradient_bytes",
                 "optimizer states": "finetune_optimizer_bytes", "activations": "finetune_activation_bytes",
                 "logits": "finetune_logits_bytes"}
    run_at = {**at, "micro_batch_size": p["micro_batch_size"], "seq_len": p["seq_len"],
              "gradient_checkpointing": p["gradient_checkpointing"]}
    for name, (value, rule) in items.items():
        if name == "FSDP gathered layers" and not value:
            continue
        figure = figure_of.get(name)
        chain.add("§17.21", name[0].upper() + name[1:] + " (per GPU)", rule, {"bytes": value}, value,
                  f"{value / Q.GIB:,.2f} GiB", unit="bytes",
                  **({"figures": {figure: value}, "at": run_at if name in ("activations", "logits") else at}
                     if figure else {}))
    counted = mem["peak_bytes"]
    chain.add("§17.21", "Counted peak per GPU", "Σ items (the tensors a step keeps)",
              {name: value for name, (value, _) in items.items()}, counted, f"{counted / Q.GIB:,.2f} GiB counted",
              unit="bytes")
    factor, factor_from, calibrated = _peak_factor(p)
    peak = counted * factor
    chain.add("§17.21", "Peak memory per GPU", "counted × measured÷counted of published runs (what "
              "torch.cuda.max_memory_allocated reports)", {"counted_bytes": counted, "peak_factor": factor,
                                                            "peak_factor_from": factor_from}, peak,
              f"{peak / Q.GIB:,.2f} GiB at the peak of a step ({factor_from})", unit="bytes", figures={CATEGORY: peak},
              at={**run_at, "peak_factor": factor})
    band_figures(chain, (CATEGORY,), CATEGORY)
    device = Q.device_memory_bytes(gpu)
    needed = peak + DRIVER_CONTEXT_BYTES
    fits = needed <= device
    high = chain.figures[CATEGORY].get("high")
    chain.add("§20.3", "Fits one GPU?", "peak + CUDA context ≤ memory one card exposes",
              {"peak_bytes": peak, "driver_context_bytes": DRIVER_CONTEXT_BYTES, "device_bytes": device}, fits,
              f"{needed / Q.GIB:,.1f} GiB needed of {device / Q.GIB:,.1f} GiB on one {gpu['name']}",
              figures={"memory_device_bytes": (device, {"gpu": gpu["name"]}), "finetune_fits": fits},
              at={**run_at, "gpu": gpu["name"], "peak_factor": factor})
    longest = _longest(p, mem, factor, device)
    chain.add("§17.21", "Longest sequence that fits", "((device − context) ÷ factor − fixed items) ÷ (bytes per "
              "token × micro-batch)", {"bytes_per_token": mem["bytes_per_token"], "micro_batch_size": p["micro_batch_size"],
                                      "peak_factor": factor},
              longest, f"{longest:,} tokens per sequence at micro-batch {p['micro_batch_size']}" if longest else
              "none: the weights and states alone exceed the card", unit="tokens",
              figures={"finetune_largest_seq_len_tokens": longest}, at={**at, "gpu": gpu["name"],
                                                                          "micro_batch_size": p["micro_batch_size"],
                                                                          "gradient_checkpointing": p["gradient_checkpointing"],
                                                                          "peak_factor": factor})
    _speed_steps(p, shape, mem, gpu, chain, caveats, at)
    caveats.add("finetune_memory_estimate", "Peak memory is counted from the tensors a step keeps; frameworks "
                "keep more or fewer (fp32 norms, chunked losses, fused kernels, allocator fragmentation), so "
                "read it with its band.")
    if not calibrated:
        caveats.add("finetune_group_uncalibrated", f"The peak is not calibrated on runs like this one ({factor_from}), "
                    "and its band is the other groups'. Measure a short run, or enter peak_factor from your own.")
    verdict = _verdict(p, gpu, peak, needed, device, high, longest, shape, calibrated)
    if p.get("_summary"):
        return verdict
    ratios = Q.band_ratios(CATEGORY)
    return verdict._replace(extras={"charts": [_chart(p, gpu, mem, factor, device, ratios, longest)]})


def _speed_steps(p, shape, mem, gpu, chain, caveats, at):
    """§17.10/§20.11 — FLOPs per token, tokens per second on all GPUs (calibrated share of the dense bf16
    peak, with its band), the time of one step, and the run's time and cost when the data's size is given."""
    given = p["speed_efficiency"] is not None
    if given:
        efficiency, efficiency_from = p["speed_efficiency"], "given"
    else:
        efficiency, efficiency_from, sources = Q.calibrated_finetune_efficiency(p["method"], p["sharding"], p["n_gpus"])
        if sources == 0:
            caveats.add("finetune_speed_uncalibrated", f"The training speed is not calibrated on runs like this one "
                        f"({efficiency_from}). Time a few steps, or enter speed_efficiency from your own run.")
        elif sources == 1:
            caveats.add("finetune_speed_one_source", f"How much slower {p['method']} trains than a full fine-tune is "
                        "measured in one framework's published runs only, and frameworks differ up to tenfold on "
                        "the same GPU. Time a few steps of yours, or enter speed_efficiency from them.")
    speed = Q.finetune_speed(shape, p["method"], mem["trained_params"], p["seq_len"], p["gradient_checkpointing"],
                             gpu, p["n_gpus"], efficiency)
    flops = speed["flops_per_token"]
    lora = p["method"] != "full"
    flops_at = {k: at[k] for k in ("method", "lora_rank", "lora_targets") if k in at}
    flops_at.update(seq_len=p["seq_len"], gradient_checkpointing=p["gradient_checkpointing"])
    chain.add("§17.10", "FLOPs per trained token",
              ("forward 2·N + 4·L·d·T (+ 2·P adapters); backward " + ("2·N + 8·L·d·T + 4·P (frozen base: input "
               "gradients only)" if lora else "4·N + 8·L·d·T")) + ("; checkpointing: the forward again" if
                                                                      p["gradient_checkpointing"] else ""),
              {"forward": speed["forward"], "backward": speed["backward"], "recompute": speed["recompute"],
               "n_params": p["n_params"], "trained_params": mem["trained_params"], "seq_len": p["seq_len"]},
              flops, f"{flops / 1e9:,.1f} GFLOPs per token ({flops / p['n_params']:.2f}·N)", unit="FLOPs/token",
              figures={"finetune_flops_per_token": flops}, at=flops_at)
    rate = speed["tokens_per_s"]
    step_tokens = p["micro_batch_size"] * p["seq_len"] * p["n_gpus"]
    speed_at = {**flops_at, "gpu": gpu["name"], "n_gpus": p["n_gpus"], "sharding": p["sharding"],
                "speed_efficiency": efficiency}
    chain.add("§20.11", "Training speed (all GPUs)", "tokens/s = n_gpus · dense bf16 peak · efficiency ÷ FLOPs per token",
              {"n_gpus": p["n_gpus"], "peak_flops_per_s": gpu["bf16_tflops"] * 1e12, "efficiency": efficiency,
               "efficiency_from": efficiency_from, "flops_per_token": flops}, rate,
              f"{rate:,.0f} tokens/s on {p['n_gpus']}× {gpu['name']} ({rate / p['n_gpus']:,.0f} per GPU; "
              f"{efficiency_from}); one step of {step_tokens:,} tokens (micro-batch {p['micro_batch_size']} × "
              f"{p['seq_len']:,} × {p['n_gpus']} GPU{'s' if p['n_gpus'] > 1 else ''}) takes {step_tokens / rate:,.3g} s", unit="tokens/s",
              figures={SPEED_CATEGORY: rate, "finetune_step_s": (step_tokens / rate, {
                  **speed_at, "micro_batch_size": p["micro_batch_size"]})}, at=speed_at)
    if not given:  # the band is the spread of published frameworks; the person's own efficiency has none
        band_figures(chain, (SPEED_CATEGORY,), SPEED_CATEGORY, max_ratio=1 / efficiency)
        band_figures(chain, ("finetune_step_s",), SPEED_CATEGORY, inverse=True, max_ratio=1 / efficiency)
    if p["n_gpus"] > 1:
        caveats.add("finetune_speed_scales_linearly", f"The speed counts {p['n_gpus']} GPUs as {p['n_gpus']}× one: "
                    "the gradient all-reduce (and FSDP's gathers) are not timed, so across slow links or many nodes "
                    "it is an upper bound.")
    if p["dataset_tokens"] is None:
        return
    tokens = p["dataset_tokens"] * p["epochs"]
    if tokens > L.MAX_TOKENS:
        raise InputError("dataset_tokens", f"dataset_tokens × epochs is {tokens:,.3g} tokens, above the "
                         f"{L.MAX_TOKENS:,.0g} this tool counts: lower dataset_tokens or epochs")
    price = Q.gpu_price(gpu, p["gpu_usd_per_hour"])
    run = Q.training_run(flops * tokens, gpu, p["n_gpus"], efficiency, price)
    run_at = {**speed_at, "dataset_tokens": p["dataset_tokens"], "epochs": p["epochs"]}
    chain.add("§20.11", "Time and cost of the run", "s = dataset tokens × epochs ÷ tokens/s; GPU·h = s · n_gpus ÷ 3600; "
              "USD = GPU·h × USD/h", {"tokens": tokens, "tokens_per_s": rate, "n_gpus": p["n_gpus"],
                                     "usd_per_gpu_hour": price}, run["seconds"],
              f"{run['seconds'] / 3600:,.3g} h for {tokens:,.0f} tokens, {run['gpu_hours']:,.3g} GPU-hours"
              + (f", ${run['usd']:,.2f} at ${price:,.2f}/GPU-hour" if price is not None else " (no price for this GPU)"),
              unit="s", figures={"finetune_s": run["seconds"], "finetune_gpu_hours": run["gpu_hours"],
                                 "finetune_usd": (run["usd"], {**run_at, "usd_per_gpu_hour": price})}, at=run_at)
    if not given:
        band_figures(chain, ("finetune_s", "finetune_gpu_hours", "finetune_usd"), SPEED_CATEGORY, inverse=True,
                     max_ratio=1 / efficiency)


def _chart(p, gpu, mem, factor, device, ratios, longest) -> dict:
    """Peak memory per GPU versus sequence length (affine in the tokens: the fixed items plus bytes per
    token), with its band, against what one card leaves after the CUDA context."""
    seq = p["seq_len"]
    top = max(2 * seq, int(longest * 1.25) if longest else 0, 1024)
    lengths = sorted({2 ** k for k in range(8, max(9, math.ceil(math.log2(top)) + 1))} | {seq})
    fixed = mem["fixed_bytes"]
    per_sequence = mem["bytes_per_token"] * p["micro_batch_size"]
    points = []
    for n in lengths:
        y = (fixed + per_sequence * n) * factor
        point = {"x": n, "y": y}
        if ratios:
            point["low"], point["high"] = y * ratios[0], y * ratios[1]
        points.append(point)
    card = device - DRIVER_CONTEXT_BYTES
    marks = [{"x": seq, "label": f"your {seq:,} tokens"}]
    if longest and longest != seq:
        marks.append({"x": longest, "label": f"longest that fits: {longest:,}"})
    return line_chart("finetune_memory_vs_seq_len", f"Longer sequences against one {gpu['name']} "
                      f"(micro-batch {p['micro_batch_size']}, {p['method']})", "sequence length (tokens)", "tokens",
                      "log2", "peak memory per GPU", "bytes",
                      [{"name": "peak", "label": "peak per GPU (80 % band)", "points": points},
                       {"name": "card", "label": f"one {gpu['name']} after the CUDA context",
                        "points": [{"x": lengths[0], "y": card}, {"x": lengths[-1], "y": card}]}],
                      marks=marks)


def _peak_factor(p) -> tuple:
    """(measured ÷ counted peak, where from, whether it is calibrated for this run): the person's, else the
    calibration's for this method and sharding."""
    if p["peak_factor"] is not None:
        return p["peak_factor"], "given", True
    return Q.calibrated_finetune_factor(p["method"], p["sharding"], p["n_gpus"])


def _verdict(p, gpu, peak, needed, device, high, longest, shape, calibrated=True) -> Verdict:
    """DOES NOT FIT (with rescues), FITS IF THE ESTIMATE HOLDS (the band's top or an uncalibrated group: a run
    no published peak calibrates is never green), or FITS."""
    gib = Q.GIB
    where = f"{p['n_gpus']}× {gpu['name']}" if p["n_gpus"] > 1 else f"one {gpu['name']}"
    each = f"each of {where}" if p["n_gpus"] > 1 else where  # the peak is per card
    if needed > device:
        fixes = _rescues(p, shape, device)
        return Verdict("DOES NOT FIT", "critical",
                       f"The step peaks at {peak / gib:,.1f} GiB per GPU (+ {DRIVER_CONTEXT_BYTES / gib:.1f} GiB CUDA "
                       f"context) but {where} exposes {device / gib:,.1f} GiB per card.",
                       (("Any one of: " + "; ".join(fixes) if len(fixes) > 1 else
                         "Make " + fixes[0] if fixes[0].startswith("these changes") else
                         fixes[0][0].upper() + fixes[0][1:]) + ".") if fixes else
                       "No change this tool counts fits, alone or together, even with FSDP over up to "
                       f"{MAX_FSDP_GPUS:,} GPUs (activations and logits are not sharded): shorten the sequences or "
                       "choose a GPU with more memory.")
    if high is not None and high + DRIVER_CONTEXT_BYTES > device:
        return Verdict("FITS IF THE ESTIMATE HOLDS", "warning",
                       f"{peak / gib:,.1f} GiB per GPU fits {each} ({device / gib:,.1f} GiB), but published runs "
                       f"peaked up to {high / gib:,.1f} GiB for such an estimate (the top of its 80 % band).",
                       f"Measure a short run first, or leave room: sequences up to {longest:,} tokens fit at the "
                       "estimate.")
    within = f"{peak / gib:,.1f} GiB per GPU at the peak of a step, within the {device / gib:,.1f} GiB of {each}"
    if not calibrated:
        return Verdict("FITS IF THE ESTIMATE HOLDS", "warning",
                       within + "; no published run of this kind calibrates the estimate.",
                       "Measure a short run first (torch.cuda.max_memory_allocated), or enter peak_factor from one.")
    return Verdict("FITS", "ok", within + (f" even at the top of its band ({high / gib:,.1f} GiB)"
                                           if high is not None else "") + ".",
                   f"None needed; sequences up to {longest:,} tokens fit at micro-batch {p['micro_batch_size']} (at the "
                   "estimate).")


def _rescues(p, shape, device) -> list:
    """Single changes that make the step fit, cheapest first, each re-counted with the same formulas (a
    summary run too: its verdict and mitigation are the full run's)."""
    options = []
    if not p["gradient_checkpointing"]:
        options.append(("turn on gradient checkpointing", {"gradient_checkpointing": True}))
    if p["micro_batch_size"] > 1:
        options.append(("micro-batch 1 with gradient accumulation", {"micro_batch_size": 1}))
    if p["optimizer"] == "adamw":
        options.append(("8-bit AdamW (bitsandbytes)", {"optimizer": "adamw_8bit"}))
    if p["method"] == "full":
        options.append(("LoRA instead of full fine-tuning", {"method": "lora"}))
    if p["method"] != "qlora":
        options.append(("QLoRA (4-bit base)", {"method": "qlora"}))
    if p["n_gpus"] > 1 and p["sharding"] == "none":
        options.append((f"FSDP full sharding over the {p['n_gpus']} GPUs", {"sharding": "fsdp"}))
    counted = {}  # a rescue search meets the same setting many times (LoRA then QLoRA is QLoRA): count it once

    def memory(q):
        key = tuple(q[k] for k in RUN_INPUTS)
        if key not in counted:
            counted[key] = _count(shape, q)
        return counted[key]

    def peak(q):
        return memory(q)["peak_bytes"] * _peak_factor(q)[0]

    def _items(q):
        return memory(q)["items"]

    def fits(q):
        return peak(q) + DRIVER_CONTEXT_BYTES <= device

    out = []
    for words, change in options:
        if fits({**p, **change}):
            out.append(f"{words} ({peak({**p, **change}) / Q.GIB:,.1f} GiB)")
    longest = _longest(p, memory(p), _peak_factor(p)[0], device)
    shorter = [f"sequences of at most {longest:,} tokens ({peak({**p, 'seq_len': longest}) / Q.GIB:,.1f} GiB)"] \
        if longest else []
    if out:
        return out + shorter
    return _combined(p, options, fits, peak, _items, device) + shorter


def _combined(p, options, fits, peak, _items, device) -> list:
    """No single change fits: the fewest changes that fit together (cheapest first among as many), else
    FSDP over the fewest GPUs with the fewest changes."""
    def applied(chosen):
        return {**p, **{k: v for _, change in chosen for k, v in change.items()}}

    for size in range(2, len(options) + 1):
        for chosen in itertools.combinations(options, size):
            if fits(applied(chosen)):
                return [f"these changes together: {', '.join(words for words, _ in chosen)} "
                        f"({peak(applied(chosen)) / Q.GIB:,.1f} GiB)"]
    unsharded = [o for o in options if "sharding" not in o[1]]
    best = None  # (GPUs, number of changes, text)
    for size in range(len(unsharded) + 1):
        for chosen in itertools.combinations(unsharded, size):
            found = _fsdp_rescue(applied(chosen), peak, _items, device)
            if found and (best is None or found[0] < best[0]):
                best = (found[0], size, found[1] + (", with " + ", ".join(w.replace("turn on ", "") for w, _ in chosen)
                                                    if chosen else ""))
    return [best[2]] if best else []


def _longest(p, mem, factor, device) -> int:
    """§17.21 — the longest sequence that fits at this micro-batch: the peak is affine in the tokens."""
    spare = (device - DRIVER_CONTEXT_BYTES) / factor - mem["fixed_bytes"]
    return int(spare / (mem["bytes_per_token"] * p["micro_batch_size"])) if spare > 0 else 0


def _fsdp_rescue(p, peak, _items, device) -> tuple | None:
    """(GPUs, words): the fewest GPUs that fit with FSDP full sharding (the sharded items ÷ n; activations,
    logits and the gathered layers per GPU stay, whatever n; FSDP runs' factor, the same for any n > 1),
    confirmed by re-counting; None within the GPU limit."""
    base = {**p, "sharding": "fsdp"}
    one = {name: b for name, b, _ in _items({**base, "n_gpus": 2})}
    sharded = 2 * (one["weights"] + one["gradients"] + one["optimizer states"])
    factor = _peak_factor({**base, "n_gpus": 2})[0]
    spare = (device - DRIVER_CONTEXT_BYTES) / factor - one["activations"] - one["logits"] - one["FSDP gathered layers"]
    if spare <= 0:
        return None
    n = max(2, math.ceil(sharded / spare))
    for n in (n, n + 1):  # n + 1: a rounding edge of the division, confirmed like n
        if n <= MAX_FSDP_GPUS and peak({**base, "n_gpus": n}) + DRIVER_CONTEXT_BYTES <= device:
            return n, f"FSDP full sharding over {n:,} GPUs ({peak({**base, 'n_gpus': n}) / Q.GIB:,.1f} GiB each)"
    return None


RECIPE = Recipe("X-TUNE", "Fine-tuning Memory and Speed", "Will fine-tuning this model (full, LoRA or QLoRA) fit on my GPUs, and how long will it take?",
                "fine-tuning", ["§17", "§20"], PARAMS, compute, checks=[check_kv_heads])
