"""X-FIT — will it fit, and how fast? A model on N GPUs under an inference engine (vLLM, SGLang,
llama.cpp, transformers, or the ideal weights + KV count): the per-card memory breakdown with each
engine rule, the KV pool in tokens, the largest context, decode and prefill speed, cost per million
tokens, the launch command, and the cheapest rescue when it does not fit."""
from __future__ import annotations

import math

from .. import axes
from .. import deployment as D
from ..corpus import points_for as corpus_points_for
from .. import quantities as Q
from ..formulas import limits as L
from ..formulas.memory import ATTENTION_KINDS
from .charts import line_chart
from .common import band_figures
from .base import (ACHIEVED_BANDWIDTH, CONTEXT_FIELDS, GPU, GPU_PRICE, MFU, Param, Recipe, Verdict, beyond_support,
                   context_support, model_param, support_step)

OPTIONAL_ARCH = dict(optional=True, group="model")
PARAMS = [
    model_param("n_params", aliases=("N_params",), help="total parameter count (MoE: all experts live in memory)"),
    Param("n_params_active", "number", "MoE: parameters active per token (decode reads these)", unit="params",
          min=1, max=L.MAX_PARAMS, **OPTIONAL_ARCH),
    Param("attention", "choice", "how the layers cache context", default="full", choices=ATTENTION_KINDS,
          group="model"),
    model_param("n_layers"), model_param("n_kv_heads", optional=True), model_param("d_head", optional=True),
    Param("sliding_window", "integer", "tokens a windowed layer keeps", unit="tokens", min=1,
          max=L.MAX_CONTEXT, **OPTIONAL_ARCH),
    Param("global_every", "integer", "alternating: every k-th layer attends globally", min=1,
          max=L.MAX_LAYERS, **OPTIONAL_ARCH),
    Param("kv_lora_rank", "integer", "MLA: compressed KV latent per token and layer", min=1, max=10**6,
          **OPTIONAL_ARCH),
    Param("qk_rope_head_dim", "integer", "MLA: decoupled RoPE key per token and layer", min=0, max=10**6,
          **OPTIONAL_ARCH),
    Param("n_attention_layers", "integer", "hybrid: layers that attend (the rest are recurrent)", min=0,
          max=L.MAX_LAYERS, **OPTIONAL_ARCH),
    Param("recurrent_state_elements", "number", "recurrent/hybrid: constant state per sequence",
          unit="elements", min=0, max=1e15, **OPTIONAL_ARCH),
    model_param("n_attention_heads", optional=True),
    Param("intermediate_size", "integer", "MLP width (intermediate_size in config.json)", min=1, max=10**7,
          **OPTIONAL_ARCH),
    Param("moe_intermediate_size", "integer", "MoE: one expert's MLP width", min=1, max=10**7, **OPTIONAL_ARCH),
    Param("tie_word_embeddings", "boolean", "the output head shares the embedding matrix", optional=True,
          group="model"),
    model_param("T_train", optional=True, help="context the model was trained at (caps the largest context)"),
    *(model_param(n) for n in CONTEXT_FIELDS),
    GPU,
    Param("custom_memory_gib", "number", "custom hardware: memory one card exposes (GiB); replaces the chosen GPU's",
          unit="GiB", optional=True, min=0.1, max=1e5),
    Param("custom_bandwidth_gb_per_s", "number", "custom hardware: memory bandwidth (GB/s)", unit="GB/s",
          optional=True, min=1, max=1e6),
    Param("custom_bf16_tflops", "number", "custom hardware: dense bf16 TFLOP/s", unit="TFLOP/s", optional=True,
          min=0.01, max=1e6),
    Param("n_gpus", "integer", "GPUs the model is split across", unit="GPUs", default=1, min=1, max=4096),
    Param("tensor_parallel", "integer", "tensor-parallel size (empty = every GPU); n_gpus ÷ it = pipeline stages",
          unit="GPUs", optional=True, min=1, max=4096),
    Param("expert_parallel", "boolean", "MoE: spread the experts over the GPUs (vLLM --enable-expert-parallel, "
          "SGLang --ep-size); memory per card is the same share", default=False),
    Param("engine", "choice", "inference engine whose memory rules apply", default="vllm", choices=D.ENGINES),
    Param("context", "integer", "tokens per request (prompt + output)", unit="tokens", default=8192,
          min=1, max=L.MAX_CONTEXT, aliases=("T_eval",)),
    Param("concurrent_users", "integer", "requests held in memory at once", unit="users", default=1,
          min=1, max=10_000_000),
    Param("weights", "choice", "weights as shipped: dtype, GPTQ/AWQ, bitsandbytes, GGUF type, or as_shipped "
          "(the config's torch_dtype and quantization_config)", default="bf16", choices=D.WEIGHT_FORMATS),
    Param("kv_dtype", "choice", "KV-cache precision (llama.cpp: q8_0 / q4_0)", default="bf16",
          choices=tuple(D.KV_DTYPES)),
    Param("gpu_memory_utilization", "number", "vLLM: share of each card's memory vLLM may take (its default 0.9)",
          optional=True, min=0, max=1, min_exclusive=True),
    Param("mem_fraction_static", "number", "SGLang: share of each card for weights + KV pool (empty = SGLang's "
          "default for this card)", optional=True, min=0, max=1, min_exclusive=True),
    Param("memory_utilization", "number", "ideal engine: share of each card's memory for weights + KV (default 0.9)",
          optional=True, min=0, max=1, min_exclusive=True),
    Param("max_model_len", "integer", "vLLM --max-model-len / SGLang --context-length (empty = the context)",
          unit="tokens", optional=True, min=1, max=L.MAX_CONTEXT),
    Param("max_num_batched_tokens", "integer", "vLLM --max-num-batched-tokens: tokens in its profiling run (empty = "
          "vLLM's default for this card; vLLM V0 without chunked prefill used max_model_len)", unit="tokens",
          optional=True, min=1, max=L.MAX_CONTEXT),
    Param("prompt_tokens", "integer", "prompt length for the time to first token (empty = the context)",
          unit="tokens", optional=True, min=1, max=L.MAX_CONTEXT),
    Param("flash_attention", "boolean", "llama.cpp -fa: without it the compute buffer holds the attention scores",
          default=False),
    Param("n_gpu_layers", "integer", "llama.cpp -ngl: layers on the GPU (empty = all; the rest run from system RAM)",
          optional=True, min=0, max=L.MAX_LAYERS),
    ACHIEVED_BANDWIDTH.renamed(default=None, optional=True, help="share of peak memory bandwidth decode reaches; "
                               "empty = calibrated on published measurements for this engine, weight format and "
                               "memory kind (presets/calibration.json)"),
    MFU.renamed(default=None, optional=True, help="prefill model FLOPs utilisation; empty = calibrated for this "
                "engine and memory kind"),
    Param("decode_overhead_s", "number", "fixed time every decode step adds (kernel launches, sampling, "
          "scheduling); empty = calibrated on published measurements for this engine", unit="s",
          optional=True, min=0, max=Q.MAX_DECODE_OVERHEAD_S),
    GPU_PRICE,
    Param("tight_margin", "number", "within this share of the capacity counts as tight", default=0.1, min=0, max=0.9),
]
RESCUE_GPU_LIMIT = 64
MODEL_SHAPE_FIELDS = ("d_model", "vocab_size", "n_attention_heads", "intermediate_size", "moe_intermediate_size",
                      "tie_word_embeddings", "shipped", "id")


def model_for(p: dict) -> dict:
    """The model record the deployment reads: the validated inputs, plus the shapes a preset or config gives
    (built once per run; the rescues re-plan with the same record)."""
    if "_deployed_model" in p:
        return p["_deployed_model"]
    record, arch = p.get("model_record") or {}, p["arch"]
    model = {k: next((v for v in (p.get(k), arch.get(k), record.get(k)) if v is not None), None)
             for k in MODEL_SHAPE_FIELDS}
    model.update(n_params=p["n_params"], n_params_active=p.get("n_params_active") or record.get("n_params_active"),
                 n_layers=p["n_layers"], n_kv_heads=p.get("n_kv_heads"), d_head=p.get("d_head"))
    p["_deployed_model"] = model
    return model


def options(p: dict, **changes) -> dict:
    keys = ("n_gpus", "tensor_parallel", "engine", "weights", "kv_dtype", "gpu_memory_utilization",
            "mem_fraction_static", "memory_utilization", "max_model_len", "context", "concurrent_users",
            "prompt_tokens", "flash_attention", "n_gpu_layers", "achieved_bandwidth_fraction", "mfu",
            "max_num_batched_tokens", "expert_parallel", "decode_overhead_s")
    out = {k: p.get(k) for k in keys}
    out["usd_per_gpu_hour"] = p.get("gpu_usd_per_hour")
    out.update(changes)
    return out


def deploy(p: dict, gpu: dict, **changes) -> dict:
    return D.plan(model_for(p), p["arch"], gpu, memo=p.setdefault("_plan_memo", {}), **options(p, **changes))


def fits_with(p: dict, gpu: dict, **changes) -> dict:
    """A rescue candidate: the same plan, memory only (fits, pool, need per card)."""
    return D.plan(model_for(p), p["arch"], gpu, memory_only=True, memo=p.setdefault("_plan_memo", {}),
                  **options(p, **changes))


def hardware(p) -> dict:
    """The catalog GPU, or — when any custom figure is given — that GPU with the person's figures."""
    gpu = Q.gpu(p["gpu"])
    custom = {k: p.get(k) for k in ("custom_memory_gib", "custom_bandwidth_gb_per_s", "custom_bf16_tflops")}
    if not any(v is not None for v in custom.values()):
        return gpu
    out = {**gpu, "name": f"{gpu['name']} (custom figures)", "source": "the person's own figures"}
    if custom["custom_memory_gib"] is not None:
        out.update(memory_bytes=custom["custom_memory_gib"] * 2 ** 30, memory_kind="hbm" if gpu["memory_kind"] == "unified"
                   else gpu["memory_kind"], gpu_usable_share=None)
    if custom["custom_bandwidth_gb_per_s"] is not None:
        out["hbm_gb_per_s"] = custom["custom_bandwidth_gb_per_s"]
    if custom["custom_bf16_tflops"] is not None:
        out.update(bf16_tflops=custom["custom_bf16_tflops"], peak_tflops={"bf16": custom["custom_bf16_tflops"]})
    return out


def compute(p, chain, caveats):
    gpu = hardware(p)
    plan = deploy(p, gpu)
    t, users, n_gpus, engine = p["context"], p["concurrent_users"], p["n_gpus"], p["engine"]
    tp, pp = plan["tensor_parallel"], plan["pipeline_parallel"]
    where = {"gpu": gpu["name"], "n_gpus": n_gpus, "engine": engine}
    knob = {"vllm": "gpu_memory_utilization", "sglang": "mem_fraction_static", "ideal": "memory_utilization"}.get(engine)
    if knob:
        where[knob] = plan["knob"]
    cap = plan["capacity"]
    chain.add("§20.3", "Memory each card exposes", "bytes the device reports (GiB, not decimal GB)"
              + ("; unified memory: RAM × the GPU's default share" if cap["ram_bytes"] else ""),
              {"gpu": gpu["name"], "vram_gb_marketed": gpu["vram_gb"], "memory_bytes": gpu.get("memory_bytes"),
               "gpu_usable_share": cap["gpu_usable_share"]}, cap["total_bytes"],
              f"{cap['total_bytes'] / D.S.GIB:,.2f} GiB per {gpu['name']} ({cap['total_bytes'] / 1e9:,.1f} GB)"
              f" × {n_gpus} card{'s' if n_gpus > 1 else ''}: the budget is per card, never pooled", unit="bytes",
              figures={"memory_device_bytes": cap["total_bytes"]}, at={"gpu": gpu["name"]})
    if gpu["memory_kind"] == "unified":
        caveats.add("unified_memory", f"{gpu['name']} shares its memory with the CPU and the system: the GPU may use "
                    f"{cap['gpu_usable_share'] * 100:.0f}% of it by default (raise it with sysctl iogpu.wired_limit_mb).")
    w = plan["weights"]
    chain.add("§19.3", "Weights as shipped", "Σ over parts: parameters × bits ÷ 8",
              {"n_params": p["n_params"], "weights": p["weights"], "parts": w["parts"]}, w["bytes"],
              f"{w['bytes'] / 1e9:,.2f} GB ({w['bytes'] / D.S.GIB:,.2f} GiB) on all cards, "
              f"{w['bits_per_weight']:.3g} bits per weight on average — {w['rule']}", unit="bytes",
              figures={"weights_bytes": w["bytes"]}, at={"bits_per_weight": w["bits_per_weight"]}, breakdown=w["parts"])
    kv_at = {"context": t, "kv_bytes_per_element": plan["kv_element"]}
    if tp > 1:
        kv_at["tensor_parallel"] = tp
    kv = plan["kv"]
    per_token = kv["bytes_per_token_all_cards"]
    replicated = kv["head_share"] * (p.get("n_kv_heads") or 1) * tp > (p.get("n_kv_heads") or 1) + 1e-9
    chain.add("§19.1", "KV cache per token and per request",
              "per layer kind (full 2·n_kv·d_head·B, sliding capped at the window, MLA latent (rank + rope)·B "
              "once per layer, recurrent state); TP splits KV heads (replicated when n_kv < TP), stores an MLA "
              "latent on every rank; PP splits layers",
              {"attention": p["arch"].get("attention"), "kv_dtype": p["kv_dtype"],
               "kv_bytes_per_element": plan["kv_element"], "tensor_parallel": tp, "pipeline_parallel": pp,
               "context": t}, plan["kv_bytes_request"],
              f"{per_token:,.0f} B per token on all cards"
              + (" (KV heads replicated: fewer KV heads than TP ranks)" if replicated else "")
              + f"; {plan['kv_bytes_request'] / 1e9:,.3g} GB for one request of {t:,} tokens", unit="bytes",
              figures={"kv_bytes_per_token": per_token, "kv_bytes": plan["kv_bytes_request"]}, at=kv_at)
    card = plan["card_bytes"]
    chain.add("engine", f"Per-card memory ({D.ENGINE_LABELS[engine]})", plan["engine_rule"],
              {"engine": engine, "tensor_parallel": tp, "pipeline_parallel": pp}, plan["breakdown"],
              "; ".join(f"{b['item']} {b['bytes'] / D.S.GIB:,.2f} GiB" for b in plan["breakdown"]),
              figures={"memory_usable_bytes": (card * n_gpus, where)}, breakdown=plan["breakdown"])
    pool_tokens = plan["kv_pool_tokens"]
    fits = plan["fits"]
    need = plan["need_card_bytes"]
    fit_at = {**where, **kv_at, "bits_per_weight": w["bits_per_weight"], "concurrent_users": users}
    if pool_tokens is not None:
        seqs = plan["max_concurrent_sequences"]
        chain.add("engine", "KV pool", "pool bytes ÷ bytes per token per card" + (", whole 16-token blocks"
                  if engine == "vllm" else ""), {"kv_pool_bytes": plan["kv_pool_bytes"]}, pool_tokens,
                  f"{pool_tokens:,} tokens in the pool ({D.ENGINE_LABELS[engine]} would log this); "
                  f"{seqs:,} concurrent sequence{'s' if seqs != 1 else ''} of {t:,} tokens", unit="tokens",
                  figures={"kv_pool_tokens": (pool_tokens, fit_at)})
        share = plan["kv_share_of_pool"] if plan["kv_pool_bytes"] and plan["kv_pool_bytes"] > 0 else math.inf
    else:
        share = need / card if card else math.inf
        chain.figure("kv_pool_tokens", None, fit_at)
    chain.add("§20.3", "Fits on every card?", "pool tokens ≥ users × context" if pool_tokens is not None else
              "weights + KV + buffers per card ≤ what the card has",
              {"need_card_bytes": need, "card_bytes": card, "kv_pool_tokens": pool_tokens,
               "tokens_needed": users * t}, fits,
              ("fits" if fits else "does not fit") + (f": {share * 100:,.0f}% of the pool" if pool_tokens is not None
                                                       else f": {need / D.S.GIB:,.2f} of {card / D.S.GIB:,.2f} GiB per card"),
              figures={"fits": (fits, fit_at), "memory_needed_bytes": (need * n_gpus, fit_at)})
    support = context_support(p, t)
    support_step(p, support, chain)
    positions = p["arch"].get("position_encoding", "rope") != "none"
    position_limit = (p.get("max_position_embeddings") or support["supported"]) if positions else None
    largest, limited_by = _largest_context(plan["largest_context"], support["supported"], position_limit)
    chain.add("§19.1", "Largest context that fits",
              "the smaller of: the largest T one request may have at this load (by memory) and the supported "
              "context (a cache that stops growing: the position limit)",
              {"largest_by_memory": plan["largest_context"], "concurrent_users": users,
               "supported_context": support["supported"]}, largest, _largest_words(largest, limited_by),
              unit="tokens", figures={"largest_context_tokens": largest,
                                      "context_limited_by_memory": limited_by == "memory"},
              at={k: v for k, v in fit_at.items() if k != "context"}, limited_by=limited_by)
    speed, prefill = plan["decode"], plan["prefill"]
    speed_at = {**fit_at, "achieved_bandwidth_fraction": speed["efficiency"], "decode_overhead_s": speed["overhead_s"]}
    chain.add("§19.7", "Decode speed", "step = stages × (bytes each card reads ÷ (f·bandwidth) + TP all-reduces) "
              "+ the engine's fixed overhead o; per request = 1 ÷ step, all requests = users ÷ step",
              {"bytes_read_per_card": speed["bytes_read_per_card"], "hbm_bytes_per_s": gpu["hbm_gb_per_s"] * 1e9,
               "achieved_bandwidth_fraction": speed["efficiency"], "efficiency_from": speed["efficiency_from"],
               "collective_s": speed["collective_s"], "decode_overhead_s": speed["overhead_s"],
               "overhead_from": speed["overhead_from"],
               "pipeline_parallel": pp, "active_share": speed["active_share"]}, speed["per_request"],
              f"{speed['per_request']:,.1f} tokens/s per request, {speed['total']:,.0f} tokens/s in all "
              f"({speed['step_s'] * 1e3:,.2f} ms per step"
              + (f", of which {speed['collective_s'] * 1e3:,.2f} ms all-reduce" if speed["collective_s"] else "")
              + (f", {speed['overhead_s'] * 1e3:,.2f} ms fixed overhead" if speed["overhead_s"] else "") + ")",
              unit="tokens/s", figures={"decode_tokens_per_s": speed["per_request"],
                                        "decode_tokens_per_s_total": speed["total"],
                                        "inter_token_latency_s": speed["step_s"]}, at=speed_at,
              bound=speed["bound"])
    chain.add("§17.10", "Time to first token", "FLOPs = 2·N_active·T + 2·layers·T²·d_attn; s = max(FLOPs ÷ (peak·TP·MFU), "
              "weight bytes the prompt reads per card × stages ÷ (f·bandwidth)) + TP all-reduces + the engine's fixed overhead o",
              {"prompt_tokens": prefill["prompt_tokens"], "flops": prefill["flops"],
               "peak_flops_per_s": prefill["peak_flops_per_s"], "peak_dtype": prefill["peak_dtype"],
               "mfu": prefill["mfu"], "mfu_from": prefill["mfu_from"], "compute_s": prefill["compute_s"],
               "weights_read_bytes_per_card": prefill["weights_read_bytes_per_card"],
               "achieved_bandwidth_fraction": prefill["efficiency"], "memory_s": prefill["memory_s"],
               "collective_s": prefill["collective_s"], "decode_overhead_s": prefill["overhead_s"]}, prefill["seconds"],
              f"{prefill['seconds']:,.3g} s for a {prefill['prompt_tokens']:,}-token prompt ("
              + ("compute-bound" if prefill["bound"] == "compute" else "memory-bound: reading the weights takes longer "
                 "than the FLOPs") + ")", unit="s", bound=prefill["bound"],
              figures={"time_to_first_token_s": prefill["seconds"]},
              at={**where, "prompt_tokens": prefill["prompt_tokens"], "mfu": prefill["mfu"],
                  "bits_per_weight": w["bits_per_weight"], "achieved_bandwidth_fraction": prefill["efficiency"],
                  "decode_overhead_s": prefill["overhead_s"]})
    band_figures(chain, ("decode_tokens_per_s", "decode_tokens_per_s_total"), "decode_tokens_per_s")
    band_figures(chain, ("inter_token_latency_s",), "decode_tokens_per_s", inverse=True)
    band_figures(chain, ("time_to_first_token_s",), "time_to_first_token_s")
    if pool_tokens is not None:
        band_figures(chain, ("kv_pool_tokens",), "kv_pool_tokens")
    usd = plan["usd_per_million_tokens"]
    chain.add("§20.12", "Self-hosted cost per million tokens", "USD/Mtok = n_gpus · USD/h ÷ (all requests' tokens/s · 3600 ÷ 1e6)",
              {"tokens_per_s": speed["total"], "usd_per_gpu_hour": plan["usd_per_gpu_hour"], "n_gpus": n_gpus}, usd,
              "no price for this GPU: enter gpu_usd_per_hour" if usd is None else
              f"${usd:,.2f} per million generated tokens at {users:,} concurrent request{'s' if users > 1 else ''}",
              unit="USD/Mtok", figures={"usd_per_million_tokens": usd},
              at={**speed_at, "usd_per_gpu_hour": plan["usd_per_gpu_hour"]})
    band_figures(chain, ("usd_per_million_tokens",), "decode_tokens_per_s", inverse=True)
    if plan["launch"]:
        chain.add("engine", "Launch command", f"{D.ENGINE_LABELS[engine]} flags for this plan", {}, plan["launch"],
                  plan["launch"])
    measured_near_here(p, gpu, chain)
    caveats.add("engine_reserves_estimated", "Engine reserves (activation peak, non-torch memory, CUDA context, "
                "llama.cpp's compute buffer) are estimates from each engine's rule, not yet calibrated on logs; "
                "decode speed uses one achieved-bandwidth fraction.")
    extras = {"chart": None if p.get("_summary") else _chart(p, gpu, plan, largest), "charts": [] if p.get("_summary") else speed_charts(p, gpu, plan, largest),
              "bound_by": _bound_by(plan), "largest_context": largest,
              "largest_context_limited_by": limited_by, "plan": _plan_summary(plan, gpu)}
    verdict = _verdict(p, gpu, plan, share, largest, limited_by, extras, chain)
    return beyond_support(verdict, support, caveats)


def measured_near_here(p, gpu, chain):
    """Published measurements of this model on this GPU (the corpus), shown beside the prediction —
    for the person to compare, never used to answer."""
    model_id = (p.get("model_record") or {}).get("id")
    if not model_id:
        return
    rows = [{"category": m["category"], "engine": m["engine"], "weights": m.get("weights"), "value": m["value"],
             "unit": m["unit"], "setting": {k: v for k, v in m["setting"].items() if v is not None},
             "source": source.get("title") or source.get("url"), "quote": m["quote"]}
            for m, source in corpus_points_for(model_id, p["gpu"])
            if m["category"] in ("decode_tokens_per_s", "kv_pool_tokens", "time_to_first_token_s",
                                 "prefill_tokens_per_s", "weights_bytes")]
    if rows:
        rows.sort(key=lambda r: (r["engine"] != p["engine"], r["category"]))
        chain.add("reality", "Measured near here", "published measurements of this model on this GPU (not used "
                  "to compute anything above)", {"model": model_id, "gpu": p["gpu"]}, rows[:12],
                  f"{len(rows)} published measurement(s), e.g. {rows[0]['category'].replace('_', ' ')} "
                  f"{rows[0]['value']:,} {rows[0]['unit']} with {rows[0]['engine']} ({rows[0]['weights']})")


def kv_card_ok(kv, users, context) -> bool:
    """A chart point the decode formula can take (its bytes within the formula's range)."""
    return users * D.kv_card_bytes(kv, context) < 1e15


def speed_charts(p, gpu, plan, largest) -> list:
    """Decode speed versus context (up to the largest that fits) and versus concurrent users (up to what
    the pool holds), per request and in all, with the calibration's 80 % band — the same function as
    the Decode speed step, at each point."""
    model, w, kv = model_for(p), plan["weights"], plan["kv"]
    eff, mfu = plan["decode"]["efficiency"], plan["prefill"]["mfu"]
    peak = D.peak_flops(gpu, p["weights"], w)[0]
    ratios = Q.band_ratios("decode_tokens_per_s") or (None, None)
    tp, pp, n = plan["tensor_parallel"], plan["pipeline_parallel"], plan["n_gpus"]

    low, high = ratios

    def point(x, value):
        if low:
            return {"x": x, "y": value, "low": value * low, "high": value * high}
        return {"x": x, "y": value}

    t, users = p["context"], p["concurrent_users"]
    top = min(largest or t, 1 << 21)
    contexts = sorted(c for c in {2 ** k for k in range(10, 22) if 2 ** k <= max(top, 1024)} | {t, largest or t}
                      if c <= 1 << 21)  # the chart stops at 2M tokens (beyond: the steps still answer)
    contexts = [c for c in contexts if kv_card_ok(kv, users, c)]
    overhead = plan["decode"]["overhead_s"]
    by_context = D.decode_curve(model, p["arch"], gpu, w, kv, tp, pp, n, eff, peak, mfu, [(users, c) for c in contexts],
                                overhead)
    charts = []
    if contexts:
        charts.append(line_chart("decode_vs_context", "Decode speed versus context", "context (tokens)", "tokens", "log2",
                         "tokens/s", "tokens/s",
                         [{"name": "per_request", "label": "one request", "points": [point(c, s["per_request"]) for c, s in zip(contexts, by_context)]}]
                         + ([{"name": "total", "label": f"all {users:,} requests", "points": [point(c, s["total"]) for c, s in zip(contexts, by_context)]}] if users > 1 else []),
                         marks=[{"x": t, "label": f"your context: {t:,}"}] if t <= 1 << 21 else []))
    most = plan["max_concurrent_sequences"] or 256
    counts = sorted(u for u in {2 ** k for k in range(0, 15) if 2 ** k <= max(1, min(most, 4096))} | {users, min(most, 4096)}
                    if kv_card_ok(kv, u, t))
    by_users = D.decode_curve(model, p["arch"], gpu, w, kv, tp, pp, n, eff, peak, mfu, [(u, t) for u in counts], overhead)
    if counts:
        charts.append(line_chart("decode_vs_users", "Decode speed versus concurrent requests", "concurrent requests",
                             "users", "log2", "tokens/s", "tokens/s",
                             [{"name": "per_request", "label": "each request", "points": [point(u, s["per_request"]) for u, s in zip(counts, by_users)]},
                              {"name": "total", "label": "all requests", "points": [point(u, s["total"]) for u, s in zip(counts, by_users)]}],
                             marks=[{"x": users, "label": f"your load: {users:,}"}]
                             + ([{"x": most, "label": f"the pool holds {most:,}"}] if plan["max_concurrent_sequences"] else []),
                             y_scale="log10"))
    return charts


def _plan_summary(plan, gpu) -> dict:
    """What the result view shows beside the chain: per-card breakdown and the command."""
    return {"engine": plan["engine"], "engine_label": D.ENGINE_LABELS[plan["engine"]], "gpu": gpu["name"],
            "n_gpus": plan["n_gpus"], "tensor_parallel": plan["tensor_parallel"],
            "pipeline_parallel": plan["pipeline_parallel"], "card_bytes": plan["card_bytes"],
            "breakdown": plan["breakdown"], "launch": plan["launch"], "kv_pool_tokens": plan["kv_pool_tokens"],
            "max_concurrent_sequences": plan["max_concurrent_sequences"]}


def _bound_by(plan) -> str:
    weights = next((b["bytes"] for b in plan["breakdown"] if b["item"].startswith("weights")), 0)
    pool = plan["kv_pool_bytes"]
    if pool is not None:
        return "weights" if pool <= 0 else "KV cache"
    return "weights" if weights > plan["card_bytes"] else "KV cache"


def _chart(p, gpu, plan, answer) -> dict:
    """Memory one card needs versus context (weights and the engine's other items, then KV), from
    the same plan function; every label from here."""
    t = p["context"]
    largest = plan["largest_context"]
    reach = int(largest * 1.25) if largest and largest < L.MAX_CONTEXT else 0  # show the answer, and a little past it
    top = min(max(t * 2, 4096, reach), L.MAX_CONTEXT)
    points = sorted({int(round(2 ** (k / 2))) for k in range(20, int(2 * math.log2(top)) + 1)} | {t})
    kv = plan["kv"]
    fixed = sum(b["bytes"] for b in plan["breakdown"]
                if not b["item"].startswith(("KV cache", "headroom", "activations and CUDA")))
    series = [{"context": ctx, "weights_bytes": fixed, "kv_bytes": p["concurrent_users"] * D.kv_card_bytes(kv, ctx)}
              for ctx in points]
    usable = plan["card_bytes"] if plan["kv_pool_bytes"] is None else fixed + max(0.0, plan["kv_pool_bytes"])
    tight_from = 1 - p["tight_margin"]
    chart = {"series": series, "usable_bytes": usable, "tight_bytes": usable * tight_from, "context": t,
            "largest_context": plan["largest_context"], "per_card": True,
            "labels": {"tight": f"tight: over {tight_from * 100:g}% of what one card can hold",
                       "over": "does not fit", "usable": f"one {gpu['name']}: weights + reserves + KV pool",
                       "x_axis": "context (tokens, log scale)", "y_axis": "memory per card (bytes)"}}
    chart["axes"] = axes.fit_chart_axes(chart, answer)  # ticks and the marked answer, decided here
    return chart


def _largest_context(by_memory, supported, position_limit):
    """(largest context, what limits it): memory, the supported context, or — for a cache that stops
    growing — the position limit; (None, 'memory') when even one token does not fit."""
    if by_memory is None:
        return None, "memory"
    if by_memory >= L.MAX_CONTEXT:  # the cache stops growing: memory sets no limit
        return (position_limit, "position limit") if position_limit else (None, "nothing known")
    if supported is not None and supported < by_memory:
        return supported, "supported context"
    return by_memory, "memory"


def _verdict(p, gpu, plan, share, largest, limited_by, extras, chain):
    side = extras["bound_by"]
    card = plan["card_bytes"]
    engine = D.ENGINE_LABELS[plan["engine"]]
    what = (f"{p['concurrent_users']:,} × {p['context']:,} tokens in {engine}'s KV pool of {plan['kv_pool_tokens']:,}"
            if plan["kv_pool_tokens"] is not None else
            f"{plan['need_card_bytes'] / D.S.GIB:,.1f} of {card / D.S.GIB:,.1f} GiB per card")
    speed = f" Decode ≈ {plan['decode']['per_request']:,.0f} tokens/s per request."
    if plan["fits"] and share <= 1 - p["tight_margin"]:
        return Verdict("FITS", "ok", f"{what} ({share * 100:.0f}%).{speed}",
                       "None required. " + _largest_words(largest, limited_by), extras)
    if plan["fits"]:
        return Verdict("TIGHT", "warning", f"{what} ({share * 100:.0f}%): little headroom for longer prompts or "
                       f"more users; the {side} is what to shrink.{speed}", _rescue(p, gpu, chain), extras)
    if plan["kv_pool_bytes"] is not None and plan["kv_pool_bytes"] <= 0:
        reason = (f"Weights and {engine}'s reserves leave no room for a KV pool on one {gpu['name']} "
                  f"({plan['weights']['bytes'] / plan['n_gpus'] / D.S.GIB:,.1f} GiB of weights per card).")
    elif plan["kv_pool_tokens"] is not None:
        reason = (f"{p['concurrent_users']:,} × {p['context']:,} tokens need {share * 100:,.0f}% of {engine}'s KV pool "
                  f"({plan['kv_pool_tokens']:,} tokens).")
        if p.get("max_model_len") and p["max_model_len"] > plan["kv_pool_tokens"]:
            reason += f" vLLM refuses to start: max_model_len {p['max_model_len']:,} is larger than the pool."
    else:
        reason = (f"Needs {plan['need_card_bytes'] / D.S.GIB:,.1f} GiB per card but one {gpu['name']} has "
                  f"{card / D.S.GIB:,.1f} GiB; the problem is the {side}.")
    return Verdict("DOES NOT FIT", "critical", reason, _rescue(p, gpu, chain), extras)


def _largest_words(largest, limited_by) -> str:
    if limited_by == "nothing known":
        return "Not limited by memory (the cache stops growing) and no position limit known."
    if largest is None:
        return "Even one token does not fit."
    if limited_by == "position limit":
        return f"Not limited by memory (the cache stops growing); the position limit is {largest:,} tokens."
    if limited_by == "supported context":
        return f"Largest context: {largest:,} tokens, the context the model supports (memory would allow more)."
    return f"Largest context at this load: {largest:,} tokens (limited by memory)."


def _rescue(p, gpu, chain) -> str:
    """Cheapest first: a smaller KV type, then smaller weights, then both, then more GPUs of this kind
    — each re-planned with the same engine rules (a summary run — the profile's row — points to X-FIT)."""
    if p.get("_summary"):
        return "Open X-FIT for the cheapest rescue (KV type, weights, more GPUs), each re-planned."
    engine = p["engine"]
    kv_options = [k for k in ("fp8", "q8_0", "int8", "q4_0", "int4") if k in D.ENGINE_KV_DTYPES[engine]
                  and D.KV_DTYPES[k] < D.KV_DTYPES[p["kv_dtype"]]][:2]
    memo = p.setdefault("_plan_memo", {})

    def shipped(weights):  # the run's weights layouts, shared with its plans
        if ("w", weights) not in memo:
            memo[("w", weights)] = D.weights_as_shipped(model_for(p), weights)
        return memo[("w", weights)]

    current_bits = shipped(p["weights"])["bits_per_weight"]
    weight_options = [w for w in (("Q8_0", "Q4_K_M") if engine == "llama.cpp" else ("fp8", "awq-int4"))
                      if shipped(w)["bits_per_weight"] < current_bits - 0.01]
    options = []  # (rescue, plan)
    for kv_dtype in kv_options:
        options.append((f"KV cache in {kv_dtype}", fits_with(p, gpu, kv_dtype=kv_dtype)))
    for weights in weight_options:
        options.append((f"weights in {weights}", fits_with(p, gpu, weights=weights)))
    if kv_options and weight_options:
        options.append((f"weights in {weight_options[0]} and KV cache in {kv_options[0]}",
                        fits_with(p, gpu, weights=weight_options[0], kv_dtype=kv_options[0])))
    n = p["n_gpus"]
    # start the doubling where the weights alone could fit (fewer cards cannot: the budget is per card)
    weights_share = shipped(p["weights"])["bytes"] / Q.device_memory_bytes(gpu)
    while n * 2 < weights_share and n * 2 < RESCUE_GPU_LIMIT:
        n *= 2
    more = None
    while n < RESCUE_GPU_LIMIT:
        n *= 2
        candidate = fits_with(p, gpu, n_gpus=n, tensor_parallel=None)
        if candidate["fits"]:
            more = (f"{n}× {gpu['name']}", candidate)
            break
    if more:
        options.append(more)
    chain.add("§20.3", "Rescues (cheapest first)", "re-plan with each change, same engine rules", {},
              [{"rescue": name, "fits": plan["fits"], "kv_pool_tokens": plan["kv_pool_tokens"],
                "need_card_bytes": plan["need_card_bytes"]} for name, plan in options],
              f"{sum(1 for _, plan in options if plan['fits'])} of {len(options)} option(s) fit")
    fitting = [name for name, plan in options if plan["fits"]]
    if not fitting:
        return f"Nothing simple fits: more than {RESCUE_GPU_LIMIT} {gpu['name']} would be needed; pick a larger GPU."
    others = f" Other options: {', '.join(fitting[1:])}." if len(fitting) > 1 else ""
    return f"Cheapest rescue: {fitting[0]}.{others}"


RECIPE = Recipe("X-FIT", "Will It Fit, and How Fast?",
                "Will this model run on my GPUs with my engine, at this context, for this many users — how "
                "fast, at what cost, and with which launch flags? The largest context that does, and the "
                "cheapest rescue when it does not.",
                "serving", ["§19", "§20"], PARAMS, compute)
