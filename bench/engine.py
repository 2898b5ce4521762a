#!/usr/bin/env python3
"""Engine timings in CPython: median time of every recipe and the profile across all presets,
and of the D_f window at N = 1e3 … 1e7. Target: every call under 1 ms."""
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "py"))

import taf  # noqa: E402
from taf import formulas as F  # noqa: E402

MEASURED = {"X-22": {"gamma_obs": 0.8}, "X-21": {"gamma_random_obs": 0.5},
            "X-23": {"gamma_text": 0.8, "gamma_random": 0.6}}
REPEATS = 30


def median_ms(fn, repeats=REPEATS):
    fn()  # warm caches
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times), max(times)


def main():
    presets = [p["id"] for p in taf.list_presets()]
    worst = 0.0
    print(f"{'call':<34}{'median ms':>10}{'worst-preset median':>22}")
    for rid in [r["id"] for r in taf.list_recipes()] + ["profile"]:
        medians = []
        for preset in presets:
            if rid == "profile":
                fn = lambda: taf.profile_model(model=preset)  # noqa: E731
            else:
                fn = lambda: taf.run_recipe(rid, model=preset, **MEASURED.get(rid, {}))  # noqa: E731
            medians.append(median_ms(fn)[0])
        worst = max(worst, max(medians))
        print(f"{rid + f' ({len(presets)} presets)':<34}{statistics.median(medians):>10.3f}{max(medians):>22.3f}")
    serving = {  # the serving planner: each engine, multi-GPU, a rescue search (issue 10: every call < 1 ms)
        "X-FIT vLLM 8B 1×H100": dict(model="meta-llama/Meta-Llama-3-8B", gpu="H100 SXM"),
        "X-FIT SGLang 70B 4×H100": dict(model="meta-llama/Llama-3.3-70B-Instruct", gpu="H100 SXM", n_gpus=4,
                                         engine="sglang", concurrent_users=16),
        "X-FIT llama.cpp 8B 16 GB": dict(model="meta-llama/Meta-Llama-3-8B", gpu="RTX 4060 Ti 16GB",
                                         engine="llama.cpp", kv_dtype="fp16", context=8192),
        "X-FIT transformers Qwen 1×L4": dict(model="Qwen/Qwen2.5-7B", gpu="L4", engine="transformers"),
        "X-FIT does not fit (rescues)": dict(model="meta-llama/Llama-3.3-70B-Instruct", gpu="RTX 4090"),
        "X-FIT MLA 8×H200 fp8": dict(n_params=671e9, n_params_active=37e9, attention="mla", n_layers=61,
                                     kv_lora_rank=512, qk_rope_head_dim=64, gpu="H200", n_gpus=8, weights="fp8",
                                     kv_dtype="fp8", context=32768, concurrent_users=8),
        "X-1 serve only": dict(recipe="X-1", model="meta-llama/Meta-Llama-3-8B", D_tokens=0, concurrent_users=32),
    }
    for name, args in serving.items():
        args = dict(args)
        rid = args.pop("recipe", "X-FIT")
        med, _ = median_ms(lambda: taf.run_recipe(rid, **args))
        worst = max(worst, med)
        print(f"{name:<34}{med:>10.3f}")
    for n in (1_000, 10_000, 100_000, 1_000_000, 10_000_000):
        med, _ = median_ms(lambda: F.df_window(0.75, n))
        worst = max(worst, med)
        print(f"{'df_window(0.75, N=%.0e)' % n:<34}{med:>10.3f}")
    verdict = "PASS" if worst < 1.0 else "MISS"
    print(f"\nslowest median: {worst:.3f} ms  → target < 1 ms: {verdict}")


if __name__ == "__main__":
    main()
