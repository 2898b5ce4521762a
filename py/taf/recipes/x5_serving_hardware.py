"""X-5 — serving hardware: which GPU serves this model at this context, cheapest per token?"""
from __future__ import annotations

import math

from .. import catalog
from .. import formulas as F
from ..formulas import limits as L
from .base import Param, Recipe, model_param
from .common import CAVEAT_TEXT

PARAMS = [
    model_param("n_params", name="N_params", aliases=("n_params",)),
    Param("T_eval", "integer", "context length of each request", unit="tokens", default=4096,
          min=1, max=L.MAX_CONTEXT),
    model_param("n_layers", optional=True), model_param("n_kv_heads", optional=True),
    model_param("d_head", optional=True),
    Param("bytes_per_weight", "number", "bytes per weight (bf16 2, int8 1, int4 0.5)", unit="bytes",
          default=2.0, min=0, max=L.MAX_BYTES_PER_ELEMENT, min_exclusive=True),
    Param("kv_bytes_per_element", "number", "bytes per KV-cache element; empty = same as the weights",
          unit="bytes", optional=True, min=0, max=L.MAX_BYTES_PER_ELEMENT, min_exclusive=True),
    Param("target_tokens_per_day", "number", "tokens you must generate per day", unit="tokens/day",
          default=10_000_000.0, min=0, max=1e18, min_exclusive=True),
    Param("concurrent_users", "integer", "requests held in memory at once", unit="users",
          default=1, min=1, max=10_000_000),
    Param("achieved_bandwidth_fraction", "number",
          "share of peak memory bandwidth a serving stack reaches (H200 measured: 0.44 compiled, "
          "0.5–0.75 bare; 0.6 is the middle)", default=0.6, min=0, max=1, min_exclusive=True),
    Param("include_unpriced_gpus", "boolean",
          "list GPUs without a rental price (local cards) after the priced ones, unranked",
          default=False),
]


def compute(p, chain, caveats):
    n, kv_bytes = p["N_params"], p["kv_bytes_per_element"] or p["bytes_per_weight"]
    arch, users = p["arch"], p["concurrent_users"]
    weights = F.model_weights_memory(n, p["bytes_per_weight"])
    chain.add("§19.3", "Model weights memory", "bytes = N·bytes_per_weight",
              {"N": n, "bytes_per_weight": p["bytes_per_weight"]}, weights,
              f"{weights['GB']:,.1f} GB for weights", unit="bytes")
    kv = F.kv_cache_bytes_arch(arch, p["T_eval"], kv_bytes)
    growth = ("grows with context" if kv["grows_with_context"] else
              f"stops growing at {kv['stops_growing_at']:,} tokens" if kv["stops_growing_at"] else
              "does not grow with context")
    chain.add("§19.1", "KV cache (per request)", "Σ over layer kinds: full 2·n_kv·d_head·T·B, sliding "
              "2·n_kv·d_head·min(T, W)·B, MLA (rank + rope)·T·B, recurrent: constant state",
              {"attention": arch.get("attention"), "seq_len": p["T_eval"], "bytes_per_element": kv_bytes},
              kv, f"{kv['GB']:,.3g} GB per concurrent request; it {growth}", unit="bytes")
    total_gb = weights["GB"] + kv["GB"] * users
    chain.add("§20.3", "Total GPU memory", "GB = weights + KV·concurrent_users",
              {"weights_GB": weights["GB"], "kv_GB": kv["GB"], "concurrent_users": users},
              {"GB": total_gb}, f"{total_gb:,.1f} GB for {users} concurrent user(s)", unit="GB")
    active = (arch.get("n_params_active") or n) * p["bytes_per_weight"]
    frac = p["achieved_bandwidth_fraction"]
    priced, unpriced = [], []
    for gpu in catalog.list_gpus():
        if gpu["vram_gb"] < total_gb:
            continue
        # one decode step reads the active weights once and every user's KV cache once
        tok_s = users * F.decode_tokens_per_s(active, users * kv["bytes"], gpu["hbm_gb_per_s"], frac) \
            if users > 1 else F.decode_tokens_per_s(active, kv["bytes"], gpu["hbm_gb_per_s"], frac)
        tok_day = tok_s * 86400
        row = {"gpu": gpu["name"], "vram_GB": gpu["vram_gb"], "bw_GB_s": gpu["hbm_gb_per_s"],
               "tok_per_sec": tok_s, "tok_per_day": tok_day,
               "users_supported": tok_day / p["target_tokens_per_day"],
               "USD_per_day": None, "USD_per_Mtok": None, "priced": gpu["usd_per_hour"] is not None}
        if row["priced"]:
            row["USD_per_day"] = gpu["usd_per_hour"] * 24
            row["USD_per_Mtok"] = row["USD_per_day"] / (tok_day / 1e6)
            priced.append(row)
        else:
            unpriced.append(row)
    _reality_check(p, active, arch, kv_bytes, frac, chain, caveats)
    priced.sort(key=lambda r: r["USD_per_Mtok"])
    shown = priced + (unpriced if p["include_unpriced_gpus"] else [])
    skipped = "" if p["include_unpriced_gpus"] or not unpriced else \
        f"; {len(unpriced)} unpriced GPU(s) left out ({', '.join(r['gpu'] for r in unpriced)})"
    chain.add("§20", f"Eligible GPUs (≥ {total_gb:,.0f} GB)",
              "keep VRAM ≥ total; tok/s = users·fraction·HBM ÷ (active weight bytes + users·KV bytes); "
              "rank by USD/day ÷ (tok/day ÷ 1e6)",
              {"min_VRAM_GB": total_gb, "achieved_bandwidth_fraction": frac,
               "include_unpriced_gpus": p["include_unpriced_gpus"]}, shown,
              f"{len(priced)} priced GPU(s) fit; cheapest: {priced[0]['gpu'] if priced else 'NONE'}{skipped}")
    caveats.add("decode_upper_bound", CAVEAT_TEXT["decode_upper_bound"])
    if unpriced and not p["include_unpriced_gpus"]:
        caveats.add("unpriced_gpus_excluded", "GPUs without a rental price (local cards) are left "
                    "out of the ranking; set include_unpriced_gpus to list them.")
    if not priced:
        largest = max(g["vram_gb"] for g in catalog.list_gpus() if g["usd_per_hour"] is not None)
        k = math.ceil(total_gb / largest)
        return ("NO", "critical", f"No single priced GPU has ≥ {total_gb:,.0f} GB.",
                f"Use tensor parallelism across ≥ {k} GPUs of {largest} GB, or quantise "
                "(INT8 halves the weights, INT4 quarters them).")
    best = priced[0]
    if best["users_supported"] >= 1:
        return ("YES", "ok", f"Best GPU: {best['gpu']} at ${best['USD_per_Mtok']:.2f}/Mtok; it "
                f"covers {best['users_supported']:,.1f}× your daily target.",
                f"Provision {best['gpu']}; expect at most {best['tok_per_sec']:,.0f} tok/s decode.")
    replicas = math.ceil(1 / best["users_supported"])
    return ("YES (needs replicas)", "warning",
            f"Best GPU: {best['gpu']} at ${best['USD_per_Mtok']:.2f}/Mtok, but one covers only "
            f"{best['users_supported'] * 100:,.0f}% of your daily target.",
            f"Run ≥ {replicas} replicas of {best['gpu']} (or batch requests).")


def _reality_check(p, active_bytes, arch, kv_bytes, frac, chain, caveats):
    """Where measurements exist for this preset and GPU, show predicted next to measured."""
    if p.get("model_id") != catalog.reality_preset() or p["concurrent_users"] != 1:
        return
    reality = catalog.reality_points()
    gpu = catalog.gpu(reality["gpu"])
    rows = []
    for point in reality["decode_with_kv"]["points"]:
        kv = F.kv_cache_bytes_arch(arch, point["context"], kv_bytes)["bytes"]
        predicted = F.decode_tokens_per_s(active_bytes, kv, gpu["hbm_gb_per_s"], frac)
        rows.append({"context": point["context"], "predicted_tok_s": predicted,
                     "measured_tok_s": point["measured_tok_s"], "measured_over_predicted": point["measured_tok_s"] / predicted})
    chain.add("reality", f"Predicted vs measured ({gpu['name']})",
              f"tok/s = {frac:g}·HBM ÷ (weights + KV(T)) against a real {gpu['name']}",
              {"gpu": gpu["name"], "achieved_bandwidth_fraction": frac}, rows,
              "measured ÷ predicted: " + ", ".join(f"{r['measured_over_predicted']:.2f} at {r['context']:,}" for r in rows))
    caveats.add("reality_check", f"Measured on one {gpu['name']} with random weights in this model's shapes "
                "(bare weight stream plus attention over the cache); one run each, indicative.")


RECIPE = Recipe("X-5", "Hardware Selection",
                "Which GPU should I use to serve my model at target throughput?",
                "serving", ["§19", "§20"], PARAMS, compute)
