"""X-5 — serving hardware: which GPU serves this model at this context, cheapest per token?"""
from __future__ import annotations

import math

from .. import catalog
from .. import quantities as Q
from .base import (ACHIEVED_BANDWIDTH, BYTES_PER_WEIGHT, KV_BYTES_SERVING, MEMORY_UTILIZATION, SERVING_CONTEXT,
                   Param, Recipe, Verdict, model_param)
from .common import CAVEAT_TEXT, decode_step, kv_step, weights_step

PARAMS = [
    model_param("n_params", name="N_params", aliases=("n_params",)),
    SERVING_CONTEXT,
    model_param("n_layers", optional=True), model_param("n_kv_heads", optional=True),
    model_param("d_head", optional=True),
    BYTES_PER_WEIGHT, KV_BYTES_SERVING,
    Param("target_tokens_per_day", "number", "tokens you must generate per day", unit="tokens/day",
          default=10_000_000.0, min=0, max=1e18, min_exclusive=True),
    Param("concurrent_users", "integer", "requests held in memory at once", unit="users",
          default=1, min=1, max=10_000_000),
    ACHIEVED_BANDWIDTH, MEMORY_UTILIZATION,
    Param("include_unpriced_gpus", "boolean",
          "list GPUs without a rental price (local cards) after the priced ones, unranked",
          default=False),
]


def _gpu_row(gpu, speed, target):
    """One catalog GPU: speed and cost from the same functions the headline step uses."""
    usd = Q.usd_per_million_tokens(speed["total"], gpu["usd_per_hour"])
    tokens_per_day = speed["total"] * 86400
    return {"gpu": gpu["name"], "memory_bytes": Q.device_memory_bytes(gpu), "hbm_bytes_per_s": gpu["hbm_gb_per_s"] * 1e9,
            "decode_tokens_per_s": speed["per_request"], "decode_tokens_per_s_total": speed["total"],
            "tokens_per_day": tokens_per_day, "share_of_target": tokens_per_day / target,
            "usd_per_day": None if usd is None else gpu["usd_per_hour"] * 24, "usd_per_million_tokens": usd,
            "priced": usd is not None}


def compute(p, chain, caveats):
    n, arch, users = p["N_params"], p["arch"], p["concurrent_users"]
    bits = p["bytes_per_weight"] * 8
    kv_element = p["kv_bytes_per_element"] or p["bytes_per_weight"]
    w = weights_step(n, bits, chain)
    kv = kv_step(arch, p["context"], kv_element, chain, caveats)["bytes"]
    need = w + kv * users
    chain.add("§20.3", "Total GPU memory", "bytes = weights + KV per request × concurrent_users",
              {"weights_bytes": w, "kv_bytes": kv, "concurrent_users": users}, need,
              f"{need / 1e9:,.1f} GB for {users} concurrent request(s)", unit="bytes",
              figures={"kv_bytes_total": kv * users, "memory_needed_bytes": need},
              at={"context": p["context"], "kv_bytes_per_element": kv_element, "bits_per_weight": bits,
                  "concurrent_users": users})
    active_n = arch.get("n_params_active") or n
    active = Q.weights_bytes(active_n, bits)
    frac = p["achieved_bandwidth_fraction"]
    priced, unpriced = [], []
    util = p["memory_utilization"]
    gpus = list(catalog.each_gpu())
    eligible = [gpu for gpu, usable in zip(gpus, Q.usable_memory_bytes_on(gpus, 1, util)) if usable >= need]
    family = Q.weight_family_from_bits(bits)
    n_priced = sum(gpu["usd_per_hour"] is not None for gpu in eligible)
    if p.get("_summary"):  # the profile and compare keep the verdict and figures: the cheapest row is enough
        rated = [gpu for gpu in eligible if gpu["usd_per_hour"] is not None]
        speeds = Q.decode_tokens_per_s_on(rated, active, kv, users, frac, family)
        cheapest = min(range(len(rated)), default=None,
                       key=lambda i: Q.usd_per_million_tokens(speeds[i]["total"], rated[i]["usd_per_hour"]))
        pairs = [] if cheapest is None else [(rated[cheapest], speeds[cheapest])]
        if p["include_unpriced_gpus"]:
            unpriced_gpus = [gpu for gpu in eligible if gpu["usd_per_hour"] is None]
            pairs += list(zip(unpriced_gpus, Q.decode_tokens_per_s_on(unpriced_gpus, active, kv, users, frac, family)))
    else:
        pairs = zip(eligible, Q.decode_tokens_per_s_on(eligible, active, kv, users, frac, family))
    for gpu, speed in pairs:
        row = _gpu_row(gpu, speed, p["target_tokens_per_day"])
        (priced if row["priced"] else unpriced).append(row)
    priced.sort(key=lambda r: r["usd_per_million_tokens"])
    shown = priced + (unpriced if p["include_unpriced_gpus"] else [])
    unpriced_names = [gpu["name"] for gpu in eligible if gpu["usd_per_hour"] is None]
    skipped = "" if p["include_unpriced_gpus"] or not unpriced_names else \
        f"; {len(unpriced_names)} unpriced GPU(s) left out ({', '.join(unpriced_names)})"
    chain.add("§20", f"Eligible GPUs (≥ {need / 1e9:,.0f} GB usable)",
              "keep device memory (GiB the card exposes) × memory_utilization ≥ total; each row: the decode and $/Mtok steps below, on "
              "that GPU; rank by USD/Mtok",
              {"memory_needed_bytes": need, "memory_utilization": util, "achieved_bandwidth_fraction": frac,
               "include_unpriced_gpus": p["include_unpriced_gpus"]}, shown,
              f"{n_priced} priced GPU(s) fit; cheapest: {priced[0]['gpu'] if priced else 'NONE'}{skipped}"
              + (" (summary: the cheapest row only)" if p.get("_summary") else ""))
    caveats.add("decode_upper_bound", CAVEAT_TEXT["decode_upper_bound"])
    if unpriced_names and not p["include_unpriced_gpus"]:
        caveats.add("unpriced_gpus_excluded", "GPUs without a rental price (local cards) are left "
                    "out of the ranking; set include_unpriced_gpus to list them.")
    if not priced:
        largest_gpu = max((g for g in catalog.each_gpu() if g["usd_per_hour"] is not None), key=Q.device_memory_bytes)
        largest = largest_gpu["vram_gb"]
        k = math.ceil(need / Q.usable_memory_bytes(largest_gpu, 1, util))
        return Verdict("NO", "critical", f"No single priced GPU has ≥ {need / 1e9:,.0f} GB usable "
                       f"(at memory_utilization {util:g}).",
                f"Use tensor parallelism across ≥ {k} GPUs of {largest} GB, or quantise "
                "(INT8 halves the weights, INT4 quarters them).")
    best = priced[0]
    best_gpu = Q.gpu(best["gpu"])
    usable = Q.usable_memory_bytes(best_gpu, 1, util)
    where = {"gpu": best_gpu["name"], "n_gpus": 1, "engine": "ideal", "memory_utilization": util}
    chain.add("§20.3", f"Fits on one {best_gpu['name']}", "weights + users × KV ≤ device memory × memory_utilization",
              {"memory_needed_bytes": need, "memory_usable_bytes": usable}, need <= usable,
              f"{need / 1e9:,.1f} GB of {usable / 1e9:,.1f} GB usable",
              figures={"memory_usable_bytes": (usable, where),
                       "fits": (need <= usable, {"context": p["context"], "kv_bytes_per_element": kv_element,
                                                 "bits_per_weight": bits, "concurrent_users": users, **where})})
    decode_step(active, kv, users, best_gpu, frac, best_gpu["usd_per_hour"], chain,
                at={"bits_per_weight": bits, "kv_bytes_per_element": kv_element, "context": p["context"],
                    "n_params_active": active_n})
    _reality_check(p, active, arch, kv_element, frac, family, chain, caveats)
    if best["share_of_target"] >= 1:
        return Verdict("YES", "ok", f"Best GPU: {best['gpu']} at ${best['usd_per_million_tokens']:.2f}/Mtok; it "
                f"covers {best['share_of_target']:,.1f}× your daily target.",
                f"Provision {best['gpu']}; expect about {best['decode_tokens_per_s']:,.0f} tok/s decode per request.")
    replicas = math.ceil(1 / best["share_of_target"])
    return Verdict("YES (needs replicas)", "warning",
            f"Best GPU: {best['gpu']} at ${best['usd_per_million_tokens']:.2f}/Mtok, but one covers only "
            f"{best['share_of_target'] * 100:,.0f}% of your daily target.",
            f"Run ≥ {replicas} replicas of {best['gpu']} (or batch requests).")


def _reality_check(p, active_bytes, arch, kv_bytes, frac, family, chain, caveats):
    """Where measurements exist for this preset and GPU, show predicted next to measured."""
    if p.get("model_id") != catalog.reality_preset() or p["concurrent_users"] != 1:
        return
    gpu_name, points = catalog.reality_decode_points()
    gpu = Q.gpu(gpu_name)
    rows = []
    contexts = [context for context, _ in points]
    for (context, measured), kv in zip(points, Q.kv_bytes_curve(arch, contexts, kv_bytes)):
        speed = Q.decode_tokens_per_s(active_bytes, kv, 1, gpu, frac, family)
        predicted, used = speed["per_request"], speed["achieved_bandwidth_fraction"]
        rows.append({"context": context, "predicted_tokens_per_s": predicted,
                     "measured_tokens_per_s": measured, "measured_over_predicted": measured / predicted})
    chain.add("reality", f"Predicted vs measured ({gpu['name']})",
              f"tok/s = {used:.3g}·HBM ÷ (weights + KV(T)) against a real {gpu['name']}",
              {"gpu": gpu["name"], "achieved_bandwidth_fraction": used}, rows,
              "measured ÷ predicted: " + ", ".join(f"{r['measured_over_predicted']:.2f} at {r['context']:,}" for r in rows))
    caveats.add("reality_check", f"Measured on one {gpu['name']} with random weights in this model's shapes "
                "(bare weight stream plus attention over the cache); one run each, indicative.")


RECIPE = Recipe("X-5", "Hardware Selection",
                "Which GPU should I use to serve my model at target throughput?",
                "serving", ["§19", "§20"], PARAMS, compute)
