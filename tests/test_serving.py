"""The serving planner (issue 10): each engine rule pinned to its source, weights as shipped, multi-GPU,
and the reference cases. Expected values are recomputed here by hand from the rule, not read back."""
import json

import pytest

import taf
from taf import InputError
from taf import deployment as D
from taf.formulas import serving as S

LLAMA = "meta-llama/Meta-Llama-3-8B"
GIB = 2 ** 30


def fit(**kw):
    return taf.run_recipe("X-FIT", **kw)


def fig(r, name):
    return r["figures"][name]["value"]


# ---- engine rules, pinned to their sources ----------------------------------------------------------

def test_vllm_scheduler_defaults_follow_arg_utils():
    """vllm/engine/arg_utils.py: ≥ 70 GiB and not an A100 → 8,192 batched tokens (API server), 1,024 seqs."""
    assert S.vllm_default_batched_tokens(80 * GIB, False) == {"max_num_batched_tokens": 8192, "max_num_seqs": 1024}
    assert S.vllm_default_batched_tokens(80 * GIB, True) == {"max_num_batched_tokens": 2048, "max_num_seqs": 256}
    assert S.vllm_default_batched_tokens(24 * GIB, False) == {"max_num_batched_tokens": 2048, "max_num_seqs": 256}


def test_sglang_mem_fraction_static_follows_server_args():
    """server_args.py _handle_gpu_memory_settings: reserve = 512 + max(chunk, 2048)·1.5 + graphs·2 + TP·PP/8·1024 MiB."""
    h100 = S.sglang_default_mem_fraction_static(81920 * 2 ** 20, 1)
    assert (h100["chunked_prefill_size"], h100["cuda_graph_max_bs"]) == (8192, 256)
    assert h100["mem_fraction_static"] == round((81920 - (512 + 8192 * 1.5 + 256 * 2 + 1024 / 8)) / 81920, 3)
    rtx = S.sglang_default_mem_fraction_static(24564 * 2 ** 20, 1)  # < 35 GiB: chunk 2048, 24 graphs
    assert rtx["mem_fraction_static"] == round((24564 - (512 + 2048 * 1.5 + 24 * 2 + 128)) / 24564, 3)
    small = S.sglang_default_mem_fraction_static(16 * 1024 * 2 ** 20, 4)  # < 20 GiB: chunk 2048, 8 graphs
    assert small["mem_fraction_static"] == round((16384 - (512 + 3072 + 16 + 512)) / 16384, 3)
    big = S.sglang_default_mem_fraction_static(140 * 1024 * 2 ** 20, 8)  # > 60 GiB: at least 10 GiB
    assert big["reserve_bytes"] == max(512 + 12288 + 1024 + 1024, 10240) * 2 ** 20


def test_mla_is_one_latent_per_layer_in_vllm_and_sglang():
    """DeepSeek-V3: (512 + 64) × 2 B × 61 layers, no ×2 for K and V, the same on every TP rank;
    vLLM's fp8 layout is 656 B per layer (fp8 latent, a float32 scale per 128, 16-bit RoPE key)."""
    v3 = dict(n_params=671e9, n_params_active=37e9, attention="mla", n_layers=61, kv_lora_rank=512,
              qk_rope_head_dim=64, d_model=7168, vocab_size=129280, n_attention_heads=128, d_head=128, gpu="H200")
    for engine in ("vllm", "sglang"):
        r = fit(**v3, engine=engine, n_gpus=1, weights="int4", context=4096)
        assert fig(r, "kv_bytes_per_token") == 61 * 576 * 2
    r = fit(**v3, engine="vllm", n_gpus=8, weights="fp8", kv_dtype="fp8", context=4096)
    assert fig(r, "kv_bytes_per_token") == 61 * 656 * 8  # all cards: the latent is on each of the 8
    r = fit(**v3, engine="sglang", n_gpus=8, weights="fp8", kv_dtype="fp8", context=4096)
    assert fig(r, "kv_bytes_per_token") == 61 * 576 * 8


def test_vllm_pool_is_the_rule_in_blocks():
    r = fit(model=LLAMA, gpu="H100 SXM", engine="vllm", context=8192)
    plan = r["plan"]
    items = {b["item"]: b["bytes"] for b in plan["breakdown"]}
    total = fig(r, "memory_device_bytes")
    pool = 0.9 * total - items["weights"] - items["activation peak (profiling run)"] - items["non-torch memory"]
    assert items["KV cache pool"] == pytest.approx(pool)
    assert fig(r, "kv_pool_tokens") == int(pool // (131072 * 16)) * 16
    assert fig(r, "kv_pool_tokens") % 16 == 0
    # a larger utilisation gives a larger pool; the knob is in the conditions of the figure
    r2 = fit(model=LLAMA, gpu="H100 SXM", engine="vllm", context=8192, gpu_memory_utilization=0.95)
    assert fig(r2, "kv_pool_tokens") > fig(r, "kv_pool_tokens")
    assert r2["figures"]["kv_pool_tokens"]["at"]["gpu_memory_utilization"] == 0.95


def test_vllm_refuses_a_max_model_len_beyond_its_pool():
    r = fit(model="meta-llama/Llama-3.3-70B-Instruct", gpu="H100 SXM", n_gpus=1, engine="vllm", context=4096,
            max_model_len=131072, weights="fp8")
    assert fig(r, "kv_pool_tokens") < 131072
    assert r["verdict"] == "DOES NOT FIT" and "refuses to start" in r["reason"]


def test_sglang_and_vllm_knobs_differ():
    """The same model and GPUs: SGLang's static share and vLLM's utilisation give different pools."""
    a = fit(model="meta-llama/Llama-3.3-70B-Instruct", gpu="H100 SXM", n_gpus=4, engine="vllm")
    b = fit(model="meta-llama/Llama-3.3-70B-Instruct", gpu="H100 SXM", n_gpus=4, engine="sglang")
    assert fig(a, "kv_pool_tokens") != fig(b, "kv_pool_tokens")
    assert "--mem-fraction-static" not in b["plan"]["launch"] and "--tp 4" in b["plan"]["launch"]
    c = fit(model="meta-llama/Llama-3.3-70B-Instruct", gpu="H100 SXM", n_gpus=4, engine="sglang",
            mem_fraction_static=0.85)
    assert "--mem-fraction-static 0.85" in c["plan"]["launch"]


def test_llama_cpp_rules():
    """Context padded to 256 and multiplied by the slots; q8_0 = 34 B per 32 values; the token embedding
    stays in system RAM; sliding layers keep window + ubatch."""
    assert S.llama_cpp_context(1000) == 1024 and S.llama_cpp_context(4096) == 4096
    assert S.LLAMA_CPP_KV_BYTES["q8_0"] == 34 / 32 and S.LLAMA_CPP_KV_BYTES["q4_0"] == 18 / 32
    r = fit(model=LLAMA, gpu="RTX 4090", engine="llama.cpp", context=4000, kv_dtype="q8_0", concurrent_users=2)
    assert "-c 8192" in r["plan"]["launch"] and "-np 2" in r["plan"]["launch"] and "-ctk q8_0" in r["plan"]["launch"]
    kv_item = next(b for b in r["plan"]["breakdown"] if b["item"] == "KV cache")
    assert kv_item["bytes"] == pytest.approx(8192 * 32 * 8 * 128 * 2 * 34 / 32)
    weights = next(b for b in r["plan"]["breakdown"] if b["item"].startswith("weights"))
    assert weights["bytes"] == pytest.approx(8e9 * 2 - 128256 * 4096 * 2)
    with pytest.raises(InputError) as err:
        fit(model=LLAMA, gpu="RTX 4090", engine="llama.cpp", kv_dtype="fp8")
    assert err.value.field == "kv_dtype" and "q8_0" in err.value.message
    mistral = fit(model="mistralai/Mistral-7B-v0.1", gpu="RTX 4090", engine="llama.cpp", context=16384)
    kv_item = next(b for b in mistral["plan"]["breakdown"] if b["item"] == "KV cache")
    assert kv_item["bytes"] == pytest.approx(32 * 2 * 8 * 128 * 2 * (4096 + 512))


def test_gguf_and_group_quantisation_bits():
    """GGUF: llama.cpp's file sizes for Llama-3-8B (quantize.cpp); GPTQ/AWQ: 4 + (16 + 4)/128."""
    assert S.GGUF_BITS_PER_WEIGHT["Q4_K_M"] == pytest.approx(4.58 * GIB * 8 / 8_030_261_248, abs=1e-3)
    assert S.GGUF_BITS_PER_WEIGHT["Q8_0"] == pytest.approx(8.515, abs=1e-3)
    assert S.group_quant_bits_per_weight(4, 128) == 4 + 20 / 128
    model = {"n_params": 8.03e9, "d_model": 4096, "vocab_size": 128256, "n_layers": 32, "n_attention_heads": 32}
    w = D.weights_as_shipped(model, "awq-int4")
    embed = 2 * 128256 * 4096
    assert w["bytes"] == pytest.approx(embed * 2 + (8.03e9 - embed) * (4 + 20 / 128) / 8)


def _llama405_fp8_config():
    mods = [f"model.layers.{i}.self_attn.{p}_proj" for i in range(126) for p in "qkvo"] + \
        [f"model.layers.{i}.mlp.{p}_proj" for i in (0, 125) for p in ("gate", "up", "down")] + ["lm_head"]
    return json.dumps({"model_type": "llama", "hidden_size": 16384, "intermediate_size": 53248,
                       "num_hidden_layers": 126, "num_attention_heads": 128, "num_key_value_heads": 8,
                       "vocab_size": 128256, "max_position_embeddings": 131072, "rope_theta": 500000.0,
                       "torch_dtype": "bfloat16", "tie_word_embeddings": False,
                       "quantization_config": {"quant_method": "fbgemm_fp8", "modules_to_not_convert": mods}})


def test_llama_405b_fp8_as_shipped_keeps_attention_in_bf16():
    """Meta's Llama-3.1-405B FP8 leaves attention, the first and last layers and lm_head in BF16:
    ≈ 496 GB loaded, not the 406 GB of 'every weight in fp8'."""
    config = _llama405_fp8_config()
    shipped = fig(fit(config=config, gpu="H100 SXM", n_gpus=8, weights="as_shipped"), "weights_bytes")
    plain = fig(fit(config=config, gpu="H100 SXM", n_gpus=8, weights="fp8"), "weights_bytes")
    assert shipped == pytest.approx(496e9, rel=0.03)
    assert plain == pytest.approx(406e9, rel=0.01) and shipped > 1.18 * plain


def test_vision_tower_counted_in_weights_not_in_decode():
    config = json.loads(open("tests/fixtures/configs/llama3-8b.json").read())
    vl = {"model_type": "llava", "text_config": config,
          "vision_config": {"hidden_size": 1024, "num_hidden_layers": 24, "intermediate_size": 4096}}
    text = fit(config=json.dumps(config), gpu="H100 SXM")
    both = fit(config=json.dumps(vl), gpu="H100 SXM")
    tower = 24 * (4 * 1024 ** 2 + 2 * 1024 * 4096)
    assert fig(both, "weights_bytes") == pytest.approx(fig(text, "weights_bytes") + tower * 2)
    assert fig(both, "decode_tokens_per_s") == pytest.approx(fig(text, "decode_tokens_per_s"), rel=1e-9)


# ---- multi-GPU --------------------------------------------------------------------------------------

def test_tensor_parallel_splits_and_replicates_kv_heads():
    one = fit(model=LLAMA, gpu="H100 SXM", n_gpus=1, context=8192)
    four = fit(model=LLAMA, gpu="H100 SXM", n_gpus=4, context=8192)
    sixteen = fit(model=LLAMA, gpu="H100 SXM", n_gpus=16, context=8192)
    per_token = 32 * 8 * 128 * 2 * 2
    assert fig(one, "kv_bytes_per_token") == fig(four, "kv_bytes_per_token") == per_token
    assert fig(sixteen, "kv_bytes_per_token") == 2 * per_token  # 8 KV heads on 16 ranks: each holds one
    assert fig(four, "weights_bytes") == fig(one, "weights_bytes")  # all cards
    w4 = next(b for b in four["plan"]["breakdown"] if b["item"] == "weights")["bytes"]
    assert w4 == pytest.approx(fig(one, "weights_bytes") / 4)  # per card, never pooled
    pp = fit(model=LLAMA, gpu="H100 SXM", n_gpus=4, tensor_parallel=2, context=8192)
    assert pp["plan"]["pipeline_parallel"] == 2 and "--pipeline-parallel-size 2" in pp["plan"]["launch"]
    with pytest.raises(InputError) as err:
        fit(model=LLAMA, gpu="H100 SXM", n_gpus=4, tensor_parallel=3)
    assert err.value.field == "tensor_parallel"


def test_tensor_parallel_decode_adds_all_reduce_time():
    four = fit(model="meta-llama/Llama-3.3-70B-Instruct", gpu="H100 SXM", n_gpus=4)
    step = next(s for s in four["chain"] if s["name"] == "Decode speed")
    assert step["inputs"]["collective_s"] > 0
    one_card_time = step["inputs"]["bytes_read_per_card"] / (3350e9 * step["inputs"]["achieved_bandwidth_fraction"])
    assert 1 / fig(four, "decode_tokens_per_s") == pytest.approx(one_card_time + step["inputs"]["collective_s"]
                                                                + step["inputs"]["decode_overhead_s"])


def test_every_decode_step_adds_the_engines_calibrated_overhead():
    """The fixed time per decode step (kernel launches, sampling, scheduling) is the calibration's value for
    the engine (else the pooled one), shown in the step, given explicitly it replaces it, and the charts
    use the same step."""
    from taf import corpus
    table = corpus.calibration()["decode_overhead_s"]
    for engine in ("vllm", "llama.cpp", "ideal"):
        r = fit(model=LLAMA, gpu="RTX 4090", engine=engine, kv_dtype="fp16" if engine == "llama.cpp" else "bf16",
                weights="q4_k_m" if engine == "llama.cpp" else "awq-int4", context=4096)
        step = next(s for s in r["chain"] if s["name"] == "Decode speed")
        expected = table["by_engine"].get(engine, {}).get("value", table["pooled"])
        assert step["inputs"]["decode_overhead_s"] == expected
        memory = step["inputs"]["bytes_read_per_card"] / (1008e9 * step["inputs"]["achieved_bandwidth_fraction"])
        assert 1 / fig(r, "decode_tokens_per_s") == pytest.approx(memory + expected)
        chart = next(c for c in r["charts"] if c["id"] == "decode_vs_context")
        at_t = next(pt for pt in chart["series"][0]["points"] if pt["x"] == 4096)
        assert at_t["y"] == pytest.approx(fig(r, "decode_tokens_per_s"))
        zero = fit(model=LLAMA, gpu="RTX 4090", engine=engine, kv_dtype="fp16" if engine == "llama.cpp" else "bf16",
                   weights="q4_k_m" if engine == "llama.cpp" else "awq-int4", context=4096, decode_overhead_s=0)
        assert 1 / fig(zero, "decode_tokens_per_s") == pytest.approx(memory)
    assert table["by_engine"]["llama.cpp"]["value"] > 0  # llama.cpp's measured speeds need one


# ---- the reference cases ----------------------------------------------------------------------------

def test_llama3_8b_fp16_llama_cpp_on_a_16gb_card():
    """Fits at 4K, does not at 8K (device memory in GiB; the embedding in system RAM; flash attention off)."""
    for card in ("RTX 4060 Ti 16GB", "RTX 5060Ti"):
        at4 = fit(model=LLAMA, gpu=card, engine="llama.cpp", weights="fp16", kv_dtype="fp16", context=4096)
        at8 = fit(model=LLAMA, gpu=card, engine="llama.cpp", weights="fp16", kv_dtype="fp16", context=8192)
        assert fig(at4, "fits") is True and at4["verdict"] in ("FITS", "TIGHT"), card
        assert fig(at8, "fits") is False and at8["verdict"] == "DOES NOT FIT", card


def test_deepseek_v3_on_8_h200_in_fp8():
    r = fit(n_params=671e9, n_params_active=37e9, attention="mla", n_layers=61, kv_lora_rank=512,
            qk_rope_head_dim=64, d_model=7168, vocab_size=129280, n_attention_heads=128, d_head=128,
            gpu="H200", n_gpus=8, weights="fp8", kv_dtype="fp8", context=32768, concurrent_users=8)
    assert fig(r, "fits") is True
    assert fig(r, "kv_pool_tokens") > 8 * 32768
    assert fig(r, "weights_bytes") == pytest.approx(671e9)
    assert fig(r, "decode_tokens_per_s") > 0 and fig(r, "decode_tokens_per_s_total") == pytest.approx(
        8 * fig(r, "decode_tokens_per_s"))
    assert 0 < fig(r, "time_to_first_token_s") < 60
    assert "--tensor-parallel-size 8" in r["plan"]["launch"] and "--kv-cache-dtype fp8" in r["plan"]["launch"]


def test_mistral_largest_context_is_its_position_limit():
    for engine in D.ENGINES:
        r = fit(model="mistralai/Mistral-7B-v0.1", gpu="RTX 4090", engine=engine, context=8192,
                **({"kv_dtype": "fp16"} if engine == "llama.cpp" else {}))
        assert fig(r, "largest_context_tokens") == 32768, engine
        assert r["largest_context_limited_by"] == "position limit"


def test_every_serving_figure_of_the_contract_is_reported():
    r = fit(model=LLAMA, gpu="H100 SXM")
    for name in ("weights_bytes", "kv_bytes_per_token", "kv_bytes", "kv_pool_tokens", "largest_context_tokens",
                 "fits", "decode_tokens_per_s", "decode_tokens_per_s_total", "time_to_first_token_s",
                 "usd_per_million_tokens"):
        assert name in r["figures"], name
    names = {p["name"] for p in taf.list_recipes()[[m["id"] for m in taf.list_recipes()].index("X-FIT")]["params"]}
    assert {"model", "gpu", "n_gpus", "tensor_parallel", "weights", "kv_dtype", "engine", "gpu_memory_utilization",
            "mem_fraction_static", "max_model_len", "context", "concurrent_users"} - {"model"} <= names


def test_unified_memory_uses_the_gpu_share():
    r = fit(model=LLAMA, gpu="Apple M4 Max (128 GB)", engine="llama.cpp", kv_dtype="fp16")
    assert fig(r, "memory_device_bytes") < 128 * GIB
    assert "unified_memory" in {c["code"] for c in r["caveats"]}


# ---- cost: serve it myself or pay an API? -----------------------------------------------------------

def test_x1_serve_only_break_even_against_an_api():
    """D_tokens = 0: no training; renting the GPUs costs the same every month, the API per token."""
    def run(monthly):
        return taf.run_recipe("X-1", model=LLAMA, D_tokens=0, gpu="H100 SXM", n_gpus=1, monthly_tokens_M=monthly,
                              concurrent_users=32)
    low, high = run(10), run(1000)
    step = next(s for s in low["chain"] if s["name"] == "Serving break-even volume")
    monthly_usd = 2.5 * 30.4375 * 24
    api = low["figures"]["api_usd_per_million_tokens"]["value"]
    assert step["inputs"]["self_host_usd_per_month"] == pytest.approx(monthly_usd)
    assert low["figures"]["break_even_tokens"]["value"] == pytest.approx(monthly_usd / api * 1e6)
    assert low["verdict"] == "NO (API)" and high["verdict"] == "YES (self-host)"
    assert "training_gpu_hours" not in low["figures"]
    # batching: 32 concurrent requests make a self-hosted token cheaper than one at a time
    one = taf.run_recipe("X-1", model=LLAMA, D_tokens=0, gpu="H100 SXM", concurrent_users=1)
    assert low["figures"]["usd_per_million_tokens"]["value"] < one["figures"]["usd_per_million_tokens"]["value"] / 10


def test_custom_hardware_figures_replace_the_catalogs():
    base = fit(model=LLAMA, gpu="H100 SXM", engine="ideal")
    custom = fit(model=LLAMA, gpu="H100 SXM", engine="ideal", custom_memory_gib=40, custom_bandwidth_gb_per_s=1675,
                 custom_bf16_tflops=494.5, achieved_bandwidth_fraction=0.5, mfu=0.5, decode_overhead_s=0)
    assert fig(custom, "memory_device_bytes") == 40 * GIB
    assert "custom figures" in custom["plan"]["gpu"]
    ref = fit(model=LLAMA, gpu="H100 SXM", engine="ideal", achieved_bandwidth_fraction=0.5, mfu=0.5, decode_overhead_s=0)
    assert fig(custom, "decode_tokens_per_s") == pytest.approx(fig(ref, "decode_tokens_per_s") / 2, rel=1e-9)  # half the bandwidth
    assert fig(custom, "time_to_first_token_s") == pytest.approx(fig(ref, "time_to_first_token_s") * 2, rel=1e-9)
    assert fig(base, "memory_device_bytes") != 40 * GIB


def test_inter_token_latency_and_expert_parallel_flags():
    r = fit(model=LLAMA, gpu="H100 SXM")
    assert fig(r, "inter_token_latency_s") == pytest.approx(1 / fig(r, "decode_tokens_per_s"))
    moe = dict(n_params=47e9, n_params_active=13e9, attention="full", n_layers=32, n_kv_heads=8, d_head=128,
               d_model=4096, vocab_size=32000, n_attention_heads=32, gpu="H100 SXM", n_gpus=2, expert_parallel=True)
    assert "--enable-expert-parallel" in fit(**moe)["plan"]["launch"]
    assert "--ep-size 2" in fit(**moe, engine="sglang")["plan"]["launch"]


def test_llama_cpp_keeps_the_mla_latent_per_layer():
    """llama.cpp caches DeepSeek's compressed latent (rank + RoPE dims) per layer, like vLLM."""
    r = fit(n_params=16e9, n_params_active=2.4e9, attention="mla", n_layers=27, kv_lora_rank=512, qk_rope_head_dim=64,
            d_model=2048, vocab_size=102400, n_attention_heads=16, d_head=192, gpu="RTX 4090", engine="llama.cpp",
            kv_dtype="fp16", weights="Q4_K_M", context=4096)
    kv_item = next(b for b in r["plan"]["breakdown"] if b["item"] == "KV cache")
    assert kv_item["bytes"] == pytest.approx(27 * 576 * 2 * 4096)


def test_measured_near_here_shows_published_points_without_using_them():
    r = fit(model=LLAMA, gpu="RTX 4090", engine="llama.cpp", kv_dtype="fp16", weights="Q4_K_M")
    step = next(s for s in r["chain"] if s["name"] == "Measured near here")
    assert step["result"] and all(row["quote"] for row in step["result"])
    assert step["result"][0]["engine"] == "llama.cpp"
    assert not any(s["name"] == "Measured near here" for s in fit(model=LLAMA, gpu="B200")["chain"])


def test_speed_charts_are_the_decode_step_at_each_point():
    """The chart's point at the asked context and load is the Decode speed figure (one function)."""
    for kw in (dict(model=LLAMA, gpu="H100 SXM", concurrent_users=8),
               dict(model="meta-llama/Llama-3.3-70B-Instruct", gpu="H100 SXM", n_gpus=4, concurrent_users=3),
               dict(model=LLAMA, gpu="RTX 4090", engine="llama.cpp", kv_dtype="fp16", n_gpus=2)):
        r = fit(**kw)
        charts = {c["id"]: c for c in r["charts"]}
        at_context = next(pt for pt in charts["decode_vs_context"]["series"][0]["points"] if pt["x"] == r["inputs"]["context"])
        assert at_context["y"] == pytest.approx(fig(r, "decode_tokens_per_s"), rel=1e-12)
        users = r["inputs"]["concurrent_users"]
        at_users = next(pt for pt in charts["decode_vs_users"]["series"][1]["points"] if pt["x"] == users)
        assert at_users["y"] == pytest.approx(fig(r, "decode_tokens_per_s_total"), rel=1e-12)
        assert at_context["low"] < at_context["y"] < at_context["high"]


def test_time_to_first_token_is_the_prefill_roofline_recomputed_by_hand():
    """TTFT = max(FLOPs ÷ (peak·TP·MFU), weight bytes the prompt reads ÷ (f·bandwidth)) + TP all-reduces + o:
    a 64-token prompt to a 70B fp8 model on one H200 is memory-bound (reading its 70 GB of weights takes
    longer than its FLOPs), an 8,192-token prompt compute-bound; recomputed here from the step's own inputs."""
    r = fit(model="meta-llama/Llama-3.3-70B-Instruct", gpu="H200", weights="fp8", prompt_tokens=64,
            achieved_bandwidth_fraction=0.8, mfu=0.5, decode_overhead_s=0.002)
    step = next(s for s in r["chain"] if s["name"] == "Time to first token")
    i = step["inputs"]
    assert i["compute_s"] == pytest.approx(i["flops"] / (i["peak_flops_per_s"] * 0.5), rel=1e-12)
    h200 = taf.catalog.gpu("H200")
    assert i["weights_read_bytes_per_card"] == fig(r, "weights_bytes")  # a dense model reads every weight
    assert i["memory_s"] == pytest.approx(i["weights_read_bytes_per_card"] / (h200["hbm_gb_per_s"] * 1e9 * 0.8), rel=1e-12)
    assert step["bound"] == "memory" and i["memory_s"] > i["compute_s"] and i["collective_s"] == 0
    assert fig(r, "time_to_first_token_s") == pytest.approx(i["memory_s"] + 0.002, rel=1e-12)
    long = fit(model="meta-llama/Llama-3.3-70B-Instruct", gpu="H200", weights="fp8", prompt_tokens=8192,
               achieved_bandwidth_fraction=0.8, mfu=0.5, decode_overhead_s=0.002)
    step = next(s for s in long["chain"] if s["name"] == "Time to first token")
    assert step["bound"] == "compute"
    assert fig(long, "time_to_first_token_s") == pytest.approx(step["inputs"]["compute_s"] + 0.002, rel=1e-12)


def test_prefill_all_reduces_grow_with_the_prompt_on_a_slow_link():
    """TP splits a prefill's FLOPs but adds two all-reduces of T·d_model·2 bytes per layer: over PCIe (two
    RTX 4090s) they cost α + 2·(n−1)/n·bytes ÷ link per all-reduce, recomputed here."""
    r = fit(model=LLAMA, gpu="RTX 4090", n_gpus=2, prompt_tokens=4096, mfu=0.5, decode_overhead_s=0.0,
            achieved_bandwidth_fraction=0.8)
    i = next(s for s in r["chain"] if s["name"] == "Time to first token")["inputs"]
    gpu, model = taf.catalog.gpu("RTX 4090"), taf.catalog.preset_record(LLAMA)
    link = ((gpu.get("interconnect") or {}).get("gb_per_s") or D.DEFAULT_LINK_BYTES_PER_S / 1e9) * 1e9
    one = D.COLLECTIVE_LATENCY_S + 2 * (2 - 1) / 2 * 4096 * model["d_model"] * 2 / link
    assert i["collective_s"] == pytest.approx(2 * model["n_layers"] * one, rel=1e-12)
    assert fig(r, "time_to_first_token_s") == pytest.approx(max(i["compute_s"], i["memory_s"]) + i["collective_s"], rel=1e-12)
