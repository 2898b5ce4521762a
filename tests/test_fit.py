"""X-FIT: will it fit, what is the largest context that does, and the cheapest rescue."""
import pytest

import taf
from taf import InputError, formulas as F

LLAMA = "meta-llama/Meta-Llama-3-8B"


def fit(**kw):
    return taf.run_recipe("X-FIT", **kw)


def test_verdict_zones_on_one_h100():
    assert fit(model=LLAMA, gpu="H100 SXM", context=8192)["verdict"] == "FITS"
    pool = fit(model=LLAMA, gpu="H100 SXM", context=4096)["figures"]["kv_pool_tokens"]["value"]
    r = fit(model=LLAMA, gpu="H100 SXM", context=4096, concurrent_users=int(pool * 0.95) // 4096)
    assert r["verdict"] == "TIGHT" and r["level"] == "warning"
    r = fit(model=LLAMA, gpu="H100 SXM", context=131072, concurrent_users=8)
    assert r["verdict"] == "DOES NOT FIT" and r["bound_by"] == "KV cache"


def test_largest_context_is_exact_on_the_ideal_engine():
    """Ideal engine: weights + KV against device bytes × memory_utilization, an exact search."""
    r = fit(model=LLAMA, gpu="L4", context=8192, engine="ideal", T_train=10**7, max_position_embeddings=10**7)
    largest = r["largest_context"]
    assert r["largest_context_limited_by"] == "memory"
    usable = r["figures"]["memory_usable_bytes"]["value"]
    w = F.weight_bytes(8e9, "bf16")
    kv = lambda t: F.kv_cache_bytes_arch({"attention": "full", "n_layers": 32, "n_kv_heads": 8, "d_head": 128}, t)["bytes"]  # noqa: E731
    assert w + kv(largest) <= usable < w + kv(largest + 1)
    capped = fit(model=LLAMA, gpu="L4", context=8192, engine="ideal")
    assert capped["largest_context"] == 8192 and capped["largest_context_limited_by"] == "supported context"


def test_weights_bound_and_rescue_order():
    r = fit(model="meta-llama/Llama-3.3-70B-Instruct", gpu="H100 SXM", context=8192)
    assert r["verdict"] == "DOES NOT FIT" and r["bound_by"] == "weights"
    assert r["largest_context"] is None
    rescues = r["chain"][-1]["result"]
    assert [x["rescue"] for x in rescues][:2] == ["KV cache in fp8", "weights in fp8"]
    assert r["mitigation"].startswith("Cheapest rescue: weights in fp8")
    assert "2× H100 SXM" in r["mitigation"]  # more GPUs stay on the list, last
    r = fit(model=LLAMA, gpu="RTX 4090", context=131072)
    assert r["verdict"] == "DOES NOT FIT"
    assert r["mitigation"].startswith("Cheapest rescue: weights in fp8 and KV cache in fp8")


def test_sliding_window_and_recurrent_models_are_not_limited_by_memory():
    """Mistral's cache stops at its 4,096-token window: memory sets no limit, its position limit does
    (32,768, never the input's upper bound); beyond its supported 8,192 tokens it is never a Go."""
    r = fit(model="mistralai/Mistral-7B-v0.1", gpu="RTX 4090", context=8192)
    assert (r["verdict"], r["level"]) == ("FITS", "ok") and "Not limited by memory" in r["mitigation"]
    assert r["figures"]["largest_context_tokens"]["value"] == 32768 == r["largest_context"]
    assert r["figures"]["context_limited_by_memory"]["value"] is False
    r = fit(model="mistralai/Mistral-7B-v0.1", gpu="RTX 4090", context=1_000_000)
    assert (r["verdict"], r["level"]) == ("BEYOND SUPPORTED CONTEXT", "warning") and r["figures"]["fits"]["value"] is True
    r = fit(model="resnet-bk/base", gpu="L4", context=2048)
    assert r["verdict"] == "FITS" and r["largest_context"] is None  # no positions: no position limit
    r = fit(model="resnet-bk/base", gpu="L4", context=10_000_000)
    assert r["level"] == "warning" and "beyond_supported_context" in {c["code"] for c in r["caveats"]}


def test_chart_series_and_quantisation_inputs():
    r = fit(model=LLAMA, gpu="H100 SXM", context=32768, weights="Q4_K_M", kv_dtype="fp8", engine="ideal")
    chart = r["chart"]
    assert chart["usable_bytes"] == pytest.approx(80 * 2 ** 30 * 0.9, rel=0.02) and chart["per_card"] is True
    assert chart["tight_bytes"] == pytest.approx(chart["usable_bytes"] * 0.9) and "90%" in chart["labels"]["tight"]
    assert any(pt["context"] == 32768 for pt in chart["series"])
    kvs = [pt["kv_bytes"] for pt in chart["series"]]
    assert kvs == sorted(kvs)
    from taf.formulas.serving import GGUF_BITS_PER_WEIGHT
    assert chart["series"][0]["weights_bytes"] == pytest.approx(8e9 * GGUF_BITS_PER_WEIGHT["Q4_K_M"] / 8)
    assert fit(model=LLAMA, tight_margin=0.25)["chart"]["labels"]["tight"].startswith("tight: over 75%")


def test_custom_architecture_and_errors():
    r = fit(n_params=671e9, attention="mla", n_layers=61, kv_lora_rank=512, qk_rope_head_dim=64,
            gpu="H200", n_gpus=8, context=131072)
    # MLA: one latent per layer, stored whole on each of the 8 tensor-parallel ranks
    assert r["figures"]["kv_bytes"]["value"] == pytest.approx(70_272 * 131072 * 8)
    assert r["figures"]["kv_bytes_per_token"]["value"] == 70_272 * 8
    with pytest.raises(InputError) as err:
        fit(n_params=7e9, attention="sliding", n_layers=32, n_kv_heads=8, d_head=128)
    assert err.value.field == "sliding_window"
    with pytest.raises(InputError) as err:
        fit(model=LLAMA, gpu="H900")
    assert err.value.field == "gpu"


def test_unified_memory_caveat():
    r = fit(model=LLAMA, gpu="DGX Spark (GB10)")
    assert "unified_memory" in {c["code"] for c in r["caveats"]}
