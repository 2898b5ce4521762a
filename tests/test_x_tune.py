"""X-TUNE (fine-tuning memory): its formulas against published figures and exact identities, its verdicts,
its rescues and its refusals."""
import json
import re

import pytest

import taf
from taf import InputError, accuracy, corpus
from taf import quantities as Q
from taf.formulas import finetune as FT

LLAMA3 = "meta-llama/Meta-Llama-3-8B"
LLAMA3_SHAPE = dict(n_params=8.03e9, n_layers=32, d_model=4096, n_attention_heads=32, n_kv_heads=8, d_head=128,
                    intermediate_size=14336, vocab_size=128256, gated=True)


def run(**kw):
    return taf.run_recipe("X-TUNE", **kw)


def value(result, name):
    return result["figures"][name]["value"]


def corpus_point(point_id):
    return next(p for p in corpus.points() if p["id"] == point_id)


def test_lora_parameter_counts_match_the_published_ones():
    """LitGPT's resource table prints the trainable parameters of r = 8 on query and value: 1,572,864 for
    phi-1.5 and 4,194,304 for Llama 2 7B; PEFT's print_trainable_parameters gives 3,407,872 for
    Llama-3-8B (r = 8, q_proj + v_proj) and 41,943,040 with r = 16 on all seven linears."""
    for point_id, model in (("litgpt-resource-tables-1", "microsoft/phi-1_5"),
                            ("litgpt-resource-tables-11", "meta-llama/Llama-2-7b-hf")):
        printed = int(re.findall(r"\|\s*([\d,]{7,})\s*\|", corpus_point(point_id)["quote"])[0].replace(",", ""))
        assert value(run(model=model, lora_rank=8, lora_targets="qv"), "finetune_trained_params") == printed
    assert value(run(model=LLAMA3, lora_rank=8, lora_targets="qv"), "finetune_trained_params") == 3_407_872
    assert value(run(model=LLAMA3, lora_rank=16, lora_targets="all_linear"), "finetune_trained_params") == 41_943_040


def test_qlora_bits_are_the_papers():
    """QLoRA §2: double quantization costs 8/64 + 32/(64·256) = 0.127 bit per weight over the 4 bits."""
    assert FT.BITS_NF4_DOUBLE_QUANT == pytest.approx(4.127, abs=5e-4)
    assert FT.BITS_NF4 == 4.5
    shapes = FT.layer_linear_shapes(4096, 32, 8, 128, 14336)
    linear = 32 * FT.layer_linear_params(shapes)
    assert FT.base_weight_bytes(8.03e9, linear, "qlora") == pytest.approx(
        linear * 4.127 / 8 + (8.03e9 - linear) * 2, rel=1e-4)
    assert FT.base_weight_bytes(8.03e9, linear, "lora") == 8.03e9 * 2


def test_mixed_precision_adamw_is_sixteen_bytes_per_parameter():
    """ZeRO §3.1 / §17.20: weights + gradients + AdamW states in mixed precision = 16·N, as X-3 says."""
    state = FT.trained_state_bytes(1e9, "mixed", "adamw")
    assert sum(state.values()) == taf.formulas.training_memory_16N(1e9)["bytes"] == 16e9
    assert sum(FT.trained_state_bytes(1e9, "bf16", "adamw").values()) == 8e9
    assert FT.trained_state_bytes(1e9, "bf16", "adamw_8bit")["optimizer"] == 2e9
    assert FT.trained_state_bytes(1e9, "bf16", "sgd")["optimizer"] == 0


def test_activation_elements_by_hand():
    """Llama-3-8B (d 4096, q 4096, kv 1024, d_ff 14336, gated): 4d + 2q + 2kv + 4·d_ff = 83,968 elements per
    token and layer (167,936 bytes in bf16); a plain MLP stores 2·d_ff."""
    assert FT.activation_elements_per_token_layer(4096, 4096, 1024, 14336) == 4 * 4096 + 2 * 4096 + 2 * 1024 + 4 * 14336
    assert FT.activation_elements_per_token_layer(4096, 4096, 1024, 14336) == 83_968
    assert FT.activation_elements_per_token_layer(2048, 2048, 2048, 8192, gated=False) == 4 * 2048 + 4 * 2048 + 2 * 8192
    full = FT.activation_bytes(1000, 32, 83_968, 4096, checkpointing=False)
    ckpt = FT.activation_bytes(1000, 32, 83_968, 4096, checkpointing=True)
    assert full == 32 * 1000 * 83_968 * 2
    assert ckpt == 32 * 1000 * 4096 * 2 + 1000 * 83_968 * 2 < full


def test_peak_is_the_sum_of_its_items_and_affine_in_tokens():
    for method in ("full", "lora", "qlora"):
        mem = [Q.finetune_memory(LLAMA3_SHAPE, method, "bf16", "adamw", 16, "all_linear", 1, seq, True)
               for seq in (1024, 2048, 4096)]
        for m in mem:
            assert m["peak_bytes"] == sum(b for _, b, _ in m["items"])
        assert mem[2]["peak_bytes"] - mem[1]["peak_bytes"] == pytest.approx(2 * (mem[1]["peak_bytes"] - mem[0]["peak_bytes"]))
        assert mem[0]["bytes_per_token"] == pytest.approx(mem[2]["bytes_per_token"])


def test_fsdp_divides_the_sharded_items_exactly():
    def items(sharding):
        mem = Q.finetune_memory(LLAMA3_SHAPE, "full", "bf16", "adamw", 16, "qv", 1, 2048, True, 4, sharding)
        return {name: b for name, b, _ in mem["items"]}
    one, four = items("none"), items("fsdp")
    for name in ("weights", "gradients", "optimizer states"):
        assert four[name] == one[name] / 4
    assert four["activations"] == one["activations"] and four["logits"] == one["logits"]
    assert one["FSDP gathered layers"] == 0 < four["FSDP gathered layers"]


def test_reproduces_litgpts_lora_runs():
    """LitGPT's resource table (A100 40GB, bf16-true, r = 8 on q and v, no checkpointing): phi-1.5 at
    micro-batch 1, 2 and 4 and Llama 2 7B at micro-batch 1 and 2, within 10 % of the printed peak."""
    for point_id in ("litgpt-resource-tables-1", "litgpt-resource-tables-4", "litgpt-resource-tables-5",
                     "litgpt-resource-tables-11", "litgpt-resource-tables-14"):
        point = corpus_point(point_id)
        predicted = accuracy.raw_prediction(point)[0]
        assert predicted == pytest.approx(point["value"], rel=0.10), point_id


def test_every_predicted_finetune_point_runs_the_recipe_with_its_own_conditions():
    """Each predicted point's inputs come from its finetune block; a point with a condition X-TUNE does not
    model (offload, compile, a fused optimizer step, adapters, unstated sizes) says why and is not predicted."""
    points = [p for p in corpus.points() if p["category"] == "finetune_peak_memory_bytes"]
    predicted = [p for p in points if accuracy.raw_prediction(p)[0] is not None]
    assert len(predicted) >= 80 and len({accuracy.source_key(p) for p in predicted}) >= 3
    for p in points:
        args, why = accuracy.finetune_inputs(p)
        ft = p["finetune"]
        if ft["compile"] or ft["offload"] or ft["optimizer_in_backward"] or ft["method"] not in ("full", "lora", "qlora"):
            assert args is None and why
        if args is None:
            continue
        assert (args["method"], args["micro_batch_size"], args["seq_len"], args["gradient_checkpointing"]) == \
            (ft["method"], ft["micro_batch_size"], ft["seq_len"], ft["gradient_checkpointing"])
        assert args["n_gpus"] == p["n_gpus"] and args["gpu"] == p["hardware"] and args["model"] == p["model"]
        assert args["sharding"] == ("fsdp" if ft["sharding"] == "fsdp" else "none")
        assert args["precision"] == "bf16" and ft["precision"] in ("bf16", "bf16-true")
        if args["method"] != "full":
            targets = ft["lora_targets"]
            expected = "all_linear" if "mlp" in targets else "qv" if targets == "q,v" else "qkvo"
            assert (args["lora_rank"], args["lora_targets"]) == (ft["lora_rank"], expected), p["id"]


def test_verdicts():
    r = run(model=LLAMA3, method="qlora", gpu="RTX 4090")
    assert r["level"] in ("ok", "warning") and value(r, "finetune_fits") is True
    big = run(model="meta-llama/Llama-3.3-70B-Instruct", method="full", gpu="RTX 4090")
    assert big["verdict"] == "DOES NOT FIT" and big["level"] == "critical"
    assert value(big, "finetune_fits") is False and value(big, "finetune_largest_seq_len_tokens") == 0
    for model in ("state-spaces/mamba-2.8b", "mistralai/Mixtral-8x7B-v0.1"):
        r = run(model=model)
        assert r["verdict"] == "NOT MODELLED" and r["level"] == "unknown"
        assert "finetune_peak_memory_bytes" not in r["figures"]
        assert "finetune_architecture_not_modelled" in {c["code"] for c in r["caveats"]}


def test_a_band_beyond_the_card_is_not_green():
    """A peak that fits only below the top of its band reads FITS IF THE ESTIMATE HOLDS (warning)."""
    for seq in range(2048, 40000, 512):
        r = run(model=LLAMA3, method="qlora", gpu="RTX 4090", seq_len=seq)
        entry = r["figures"]["finetune_peak_memory_bytes"]
        if value(r, "finetune_fits") and entry["high"] + 512 * 2**20 > value(r, "memory_device_bytes"):
            assert r["verdict"] == "FITS IF THE ESTIMATE HOLDS" and r["level"] == "warning"
            return
    pytest.fail("no sequence length put the band's top beyond the card")


def test_the_longest_sequence_fits_and_one_more_token_per_sequence_does_not():
    r = run(model=LLAMA3, method="lora", gpu="RTX 4090", micro_batch_size=2)
    longest = value(r, "finetune_largest_seq_len_tokens")
    assert longest > 0
    assert value(run(model=LLAMA3, method="lora", gpu="RTX 4090", micro_batch_size=2, seq_len=longest), "finetune_fits")
    assert not value(run(model=LLAMA3, method="lora", gpu="RTX 4090", micro_batch_size=2, seq_len=longest + 1),
                     "finetune_fits")


RESCUES = {"turn on gradient checkpointing": {"gradient_checkpointing": True}, "micro-batch 1": {"micro_batch_size": 1},
           "8-bit AdamW": {"optimizer": "adamw_8bit"}, "LoRA instead": {"method": "lora"}, "QLoRA": {"method": "qlora"}}


def test_each_rescue_it_names_fits_and_the_others_do_not():
    setting = dict(model=LLAMA3, method="full", gpu="A100 80GB", gradient_checkpointing=False, micro_batch_size=3)
    r = run(**setting)
    assert r["verdict"] == "DOES NOT FIT"
    for words, change in RESCUES.items():
        fits = value(run(**{**setting, **change}), "finetune_fits")
        assert (words in r["mitigation"]) == fits, (words, r["mitigation"])
    assert "turn on gradient checkpointing" in r["mitigation"] and "8-bit AdamW" not in r["mitigation"]


def test_when_no_single_change_is_enough_it_names_the_changes_together():
    setting = dict(model=LLAMA3, method="lora", gpu="RTX 4090", gradient_checkpointing=False, micro_batch_size=6)
    r = run(**setting)
    assert "these changes together: turn on gradient checkpointing, micro-batch 1" in r["mitigation"]
    assert "sequences of at most" in r["mitigation"]
    assert value(run(**{**setting, "gradient_checkpointing": True, "micro_batch_size": 1}), "finetune_fits")


@pytest.mark.parametrize("field, bad", [("lora_rank", 0), ("method", "prefix"), ("seq_len", float("nan")),
                                        ("micro_batch_size", -1), ("precision", "fp4"), ("sharding", "zero5")])
def test_bad_input_names_its_field(field, bad):
    with pytest.raises(InputError) as err:
        run(model=LLAMA3, **{field: bad})
    assert err.value.field == field


def test_a_typed_model_needs_its_attention_shape():
    with pytest.raises(InputError) as err:
        run(n_params=7e9, n_layers=32, d_model=4096, vocab_size=32000)
    assert err.value.field == "n_attention_heads"
    r = run(n_params=7e9, n_layers=32, d_model=4096, vocab_size=32000, n_attention_heads=32, n_kv_heads=32, d_head=128)
    assert "mlp_width_solved" in {c["code"] for c in r["caveats"]}
    assert 10000 < r["chain"][0]["inputs"]["intermediate_size"] < 12000  # Llama-2-7B's is 11,008


def fsdp_named(setting, mitigation) -> tuple:
    """(GPUs, the setting with the changes named beside them) from an "FSDP full sharding over n GPUs …, with
    …" rescue."""
    n = int(re.search(r"FSDP full sharding over ([\d,]+) GPUs", mitigation).group(1).replace(",", ""))
    named = mitigation.split(", with ", 1)[1] if ", with " in mitigation else ""
    changed = dict(setting)
    for words, change in RESCUES.items():
        if words.replace("turn on ", "") in named:
            changed.update(change)
    return n, changed


def test_the_fsdp_rescue_names_the_fewest_gpus_that_fit():
    setting = dict(model="meta-llama/Llama-3.3-70B-Instruct", method="full", gpu="RTX 4090")
    n, changed = fsdp_named(setting, run(**setting)["mitigation"])
    assert value(run(**changed, sharding="fsdp", n_gpus=n), "finetune_fits")
    assert not value(run(**changed, sharding="fsdp", n_gpus=n - 1), "finetune_fits")


def test_the_peak_is_the_count_times_the_calibrated_factor_of_its_group():
    """Peak = counted Σ items × the calibration's measured÷counted factor for the run's method and sharding
    (the geometric mean over published runs of the group, shrunk towards 1); peak_factor=1 gives the count."""
    table = corpus.calibration()["finetune_factor"]
    for method, sharding, n in (("qlora", "none", 1), ("lora", "fsdp", 2), ("full", "none", 1)):
        setting = dict(model=LLAMA3, method=method, sharding=sharding, n_gpus=n, gpu="H100 SXM")
        calibrated, counted = run(**setting), run(**setting, peak_factor=1.0)
        factor = table[Q.finetune_group(method, sharding, n)]["factor"]
        assert value(calibrated, "finetune_peak_memory_bytes") == pytest.approx(
            value(counted, "finetune_peak_memory_bytes") * factor, rel=1e-12)
        step = calibrated["chain"][calibrated["figures"]["finetune_peak_memory_bytes"]["step"] - 1]
        assert step["inputs"]["peak_factor"] == factor and "published" in step["inputs"]["peak_factor_from"]


def test_the_group_factor_is_a_shrunk_geometric_mean():
    """Two runs of a group at 2× their count: exp(2·ln 2 / (2 + RIDGE)) = √2 with RIDGE 2; clipped to the range."""
    assert accuracy.RIDGE == 2.0
    fitted = accuracy._fit_finetune([("qlora", 2.0), ("qlora", 2.0), ("lora", 100.0)] + [("lora", 100.0)] * 20)
    assert fitted["qlora"] == {"factor": round(2 ** 0.5, 4), "n": 2}
    assert fitted["lora"]["factor"] == Q.FINETUNE_FACTOR_RANGE[1]


def test_the_chart_is_the_same_peak_at_every_length():
    """The memory-versus-length chart's points are X-TUNE's own peak at each length (affine: drawn from the
    fixed items and bytes per token), its band the figure's, and the card's line the device minus the context."""
    setting = dict(model=LLAMA3, method="qlora", gpu="RTX 4090")
    r = run(**setting)
    chart = r["charts"][0]
    peak, card = chart["series"]
    for point in peak["points"][::2]:
        at = run(**setting, seq_len=point["x"])
        assert point["y"] == pytest.approx(value(at, "finetune_peak_memory_bytes"), rel=1e-9)
        assert point["high"] == pytest.approx(at["figures"]["finetune_peak_memory_bytes"]["high"], rel=1e-9)
    assert {p["y"] for p in card["points"]} == {value(r, "memory_device_bytes") - 512 * 2**20}
    assert [m["x"] for m in chart["marks"]] == [2048, value(r, "finetune_largest_seq_len_tokens")]
    assert "charts" not in taf.run_recipe("X-TUNE", summary=True, **setting)


def test_refusals_name_the_field():
    with pytest.raises(InputError) as err:
        run(model=LLAMA3, n_attention_heads=8, n_kv_heads=32)
    assert err.value.field == "n_kv_heads"
    with pytest.raises(InputError) as err:
        run(model=LLAMA3, n_params=1000)
    assert err.value.field == "n_params"


def test_an_unknown_family_is_not_modelled():
    """A config the importer does not know (an encoder–decoder here) is read as a dense transformer
    elsewhere; X-TUNE counts decoder-only layers, so it says NOT MODELLED rather than guess."""
    t5 = json.dumps({"model_type": "t5", "d_model": 1024, "num_layers": 24, "num_heads": 16, "d_kv": 64,
                     "d_ff": 2816, "vocab_size": 32128})
    r = taf.run_recipe("X-TUNE", config=t5)
    assert r["verdict"] == "NOT MODELLED" and r["level"] == "unknown"
    assert "finetune_peak_memory_bytes" not in r["figures"]


def test_an_uncalibrated_group_says_so_and_is_never_green():
    """QLoRA under FSDP has no published peak: unsharded QLoRA's factor, a caveat, and at most a warning."""
    r = run(model=LLAMA3, method="qlora", n_gpus=4, sharding="fsdp", gpu="H100 SXM")
    assert "finetune_group_uncalibrated" in {c["code"] for c in r["caveats"]}
    assert r["level"] != "ok" and value(r, "finetune_fits")
    assert r["verdict"] == "FITS IF THE ESTIMATE HOLDS"
    step = r["chain"][r["figures"]["finetune_peak_memory_bytes"]["step"] - 1]
    assert step["inputs"]["peak_factor"] == corpus.calibration()["finetune_factor"]["qlora"]["factor"]  # unsharded QLoRA's
    assert "no published qlora+fsdp runs" in step["inputs"]["peak_factor_from"]
    given = run(model=LLAMA3, method="qlora", n_gpus=4, sharding="fsdp", gpu="H100 SXM", peak_factor=1.2)
    assert "finetune_group_uncalibrated" not in {c["code"] for c in given["caveats"]}


def test_the_fsdp_rescue_is_offered_when_it_is_the_only_way():
    """Nothing fits one card, alone or together: FSDP over the fewest GPUs (with the fewest changes), and no
    GPU count below it fits with any of the changes offered."""
    setting = dict(model="meta-llama/Llama-3.3-70B-Instruct", method="qlora", gpu="RTX 4090", micro_batch_size=2)
    r = run(**setting)
    n, changed = fsdp_named(setting, r["mitigation"])
    assert value(run(**changed, sharding="fsdp", n_gpus=n), "finetune_fits")
    for extra in [{}] + list(RESCUES.values()):
        assert not value(run(**{**setting, **extra}, sharding="fsdp", n_gpus=n - 1), "finetune_fits")


def test_a_too_long_sequence_is_told_the_longest_that_fits():
    r = run(model=LLAMA3, method="lora", gpu="RTX 4090", seq_len=200_000)
    longest = value(r, "finetune_largest_seq_len_tokens")
    assert f"sequences of at most {longest:,} tokens" in r["mitigation"].lower()


def test_a_combination_names_only_the_changes_it_needs():
    """Each change named together is needed: without any one of them the others do not fit."""
    setting = dict(model=LLAMA3, method="lora", gpu="RTX 4090", gradient_checkpointing=False, micro_batch_size=6)
    named = run(**setting)["mitigation"]
    changes = [RESCUES["turn on gradient checkpointing"], RESCUES["micro-batch 1"]]
    assert value(run(**{**setting, **changes[0], **changes[1]}), "finetune_fits")
    for one in changes:
        assert not value(run(**{**setting, **one}), "finetune_fits")
    assert "8-bit AdamW" not in named and "QLoRA" not in named


# ---- speed and run time -----------------------------------------------------------------------------------

def test_full_fine_tuning_flops_are_x3s_training_flops_per_token():
    """Without checkpointing, a full fine-tune costs what pre-training costs per token (§17.10's
    6·N + 12·L·d·T, the function X-1 and X-3 use); the attention term uses the query width."""
    n, layers, d, t = 8.03e9, 32, 4096, 2048
    ours = FT.flops_per_token(n, n, "full", layers, d, t, False)
    theirs = taf.formulas.training_flops_per_token(n, layers, d, t, "6N+attention")["flops_per_token"]
    assert ours["flops_per_token"] == theirs == 6 * n + 12 * layers * d * t
    assert ours["backward"] == 2 * ours["forward"] and ours["recompute"] == 0


def test_lora_flops_skip_the_frozen_weights_gradients_and_checkpointing_repeats_the_forward():
    """A frozen weight needs only its input gradient: 2·N in the backward instead of 4·N; the adapters'
    P parameters cost 6·P; checkpointing adds one more forward."""
    n, p, layers, d, t = 8.03e9, 41_943_040, 32, 4096, 2048
    attention = 4 * layers * d * t
    lora = FT.flops_per_token(n, p, "lora", layers, d, t, False)
    assert lora["flops_per_token"] == pytest.approx(4 * n + 3 * attention + 6 * p, rel=1e-15)
    assert FT.flops_per_token(n, p, "qlora", layers, d, t, False) == lora  # the same matmuls, in 16 bits
    ckpt = FT.flops_per_token(n, p, "lora", layers, d, t, True)
    assert ckpt["flops_per_token"] == pytest.approx(lora["flops_per_token"] + 2 * n + attention + 2 * p, rel=1e-15)
    assert FT.flops_per_token(n, 123, "full", layers, d, t, False) == FT.flops_per_token(n, n, "full", layers, d, t, False)


def test_speed_time_and_cost_are_one_rate():
    """tokens/s × FLOPs per token = GPUs × peak × efficiency; the run's seconds = tokens ÷ tokens/s (X-3's
    training_run on the same FLOPs); GPU-hours and USD follow; a step is micro-batch × length × GPUs tokens."""
    r = run(model=LLAMA3, gpu="H100 SXM", n_gpus=4, micro_batch_size=2, seq_len=4096, speed_efficiency=0.3,
            dataset_tokens=2e8, epochs=2, gpu_usd_per_hour=2.5)
    gpu = Q.gpu("H100 SXM")
    rate, flops = value(r, "finetune_tokens_per_s"), value(r, "finetune_flops_per_token")
    assert rate * flops == pytest.approx(4 * gpu["bf16_tflops"] * 1e12 * 0.3, rel=1e-12)
    assert value(r, "finetune_s") == pytest.approx(4e8 / rate, rel=1e-12)
    assert value(r, "finetune_gpu_hours") == pytest.approx(4 * value(r, "finetune_s") / 3600, rel=1e-12)
    assert value(r, "finetune_usd") == pytest.approx(2.5 * value(r, "finetune_gpu_hours"), rel=1e-12)
    assert value(r, "finetune_step_s") == pytest.approx(2 * 4096 * 4 / rate, rel=1e-12)
    one = run(model=LLAMA3, gpu="H100 SXM", n_gpus=1, micro_batch_size=2, seq_len=4096, speed_efficiency=0.3)
    assert rate == pytest.approx(4 * value(one, "finetune_tokens_per_s"), rel=1e-12)
    assert "finetune_s" not in one["figures"]  # no data size given: the speed only


def test_run_time_figures_carry_the_speed_band_inverted():
    r = run(model=LLAMA3, gpu="H100 SXM", dataset_tokens=1e8)
    speed, seconds = r["figures"]["finetune_tokens_per_s"], r["figures"]["finetune_s"]
    assert speed["low"] <= speed["value"] <= speed["high"] and speed["low"] < speed["high"]
    assert seconds["low"] == pytest.approx(1e8 / speed["high"], rel=1e-12)
    assert seconds["high"] == pytest.approx(1e8 / speed["low"], rel=1e-12)


def test_the_speed_fit_recovers_planted_framework_method_and_fsdp_effects():
    """Efficiencies made from known effects (a framework per source, LoRA, QLoRA and FSDP), with sources of
    very different sizes and not every method in every source: the fit gives back the mean framework with
    each method's and FSDP's effect, and a source's run count does not move it."""
    import itertools
    import math
    framework = {"a": 0.7, "b": 0.2, "c": 0.45, "d": 0.6}
    effect = {"full": 1.0, "lora": 0.8, "qlora": 0.25}
    fsdp = 0.9
    runs = {"a": [("full", False), ("lora", False), ("full", True)], "b": [("full", False), ("lora", False), ("qlora", False)],
            "c": [("full", True)], "d": [("lora", False), ("lora", True), ("full", False)]}
    samples = [(m, f, framework[src] * effect[m] * (fsdp if f else 1.0), src)
               for src, rows in runs.items() for (m, f), _ in itertools.product(rows, range(3 if src != "b" else 20))]
    fitted = accuracy._fit_finetune_speed(samples)
    mean = math.exp(sum(math.log(v) for v in framework.values()) / len(framework))
    for method, sharded in itertools.product(effect, (False, True)):
        group = method + ("+fsdp" if sharded else "")
        assert fitted[group]["efficiency"] == pytest.approx(mean * effect[method] * (fsdp if sharded else 1), abs=1e-4)
    assert fitted["qlora"]["n_sources"] == 1 and fitted["lora"]["n_sources"] == 3
    assert fitted["qlora+fsdp"]["n"] == 0 and fitted["all"]["n_sources"] == 4
    assert accuracy._fit_finetune_speed(samples + [s for s in samples if s[3] == "a"] * 5) == {
        **fitted, "all": {**fitted["all"], "n": len(samples) + 5 * sum(1 for s in samples if s[3] == "a")},
        **{g: {**fitted[g], "n": fitted[g]["n"] + 5 * sum(1 for m, f, _, src in samples
                                                          if src == "a" and m + ("+fsdp" if f else "") == g)}
           for g in fitted if g != "all"}}
    assert accuracy._fit_finetune_speed([]) == {}


def test_every_predicted_speed_point_is_what_x_tune_tells_a_person():
    """For each predicted speed point, X-TUNE run with the point's conditions and nothing else (the calibrated
    efficiency, as a person gets it) gives the Accuracy view's prediction: per GPU = all GPUs ÷ GPUs, a
    time per step = X-TUNE's step time."""
    rows = {r["id"]: r for r in accuracy.accuracy_report()["rows"]}
    quantities = set()
    for p in corpus.points():
        args, _ = accuracy.finetune_inputs(p) if p["category"] == "finetune_tokens_per_s" else (None, None)
        if args is None:
            continue
        figures = run(**args)["figures"]
        if p["quantity"] == "step":
            expected = figures["finetune_step_s"]["value"]
        else:
            expected = figures["finetune_tokens_per_s"]["value"] / (p["n_gpus"] if p["quantity"] == "per_gpu" else 1)
        assert rows[p["id"]]["predicted"] == pytest.approx(expected, rel=1e-12), p["id"]
        quantities.add(p["quantity"])
    assert quantities == {"step", "per_gpu", "aggregate"}


def test_speed_points_say_why_they_are_not_predicted():
    """fp8 compute is refused (the speed counts the bf16 peak); a multi-GPU run whose split is unstated is
    refused; NeMo's distributed optimizer is data parallel; LoRA on q, k, v reads as q, k, v, o for speed."""
    reasons = {}
    for p in corpus.points():
        if p["category"] == "finetune_tokens_per_s":
            args, why = accuracy.finetune_inputs(p)
            reasons.setdefault(why, []).append((p, args))
    assert all(p["weights"] in ("fp8", "mxfp8") or p["finetune"]["precision"] in ("fp8", "mxfp8")
               for p, _ in reasons["fp8 compute is not modelled (the speed counts the dense bf16 peak)"])
    assert all(p["n_gpus"] > 1 and p["finetune"]["sharding"] is None
               for p, _ in reasons["how the run splits across its GPUs is not stated"])
    nemo = [(p, a) for p, a in reasons[None] if p["finetune"]["sharding"] == "distributed-optimizer"]
    assert nemo and all(a["sharding"] == "none" for _, a in nemo)
    qkv = [(p, a) for p, a in reasons[None] if p["finetune"]["lora_targets"] == "q,k,v"]
    assert qkv and all(a["lora_targets"] == "qkvo" for _, a in qkv)
    assert accuracy.finetune_inputs(qkv[0][0], speed=False)[0] is None  # memory needs every condition


def test_one_source_groups_and_uncalibrated_speeds_say_so():
    qlora = run(model=LLAMA3, method="qlora", gpu="H100 SXM")
    assert "finetune_speed_one_source" in {c["code"] for c in qlora["caveats"]}
    given = run(model=LLAMA3, method="qlora", gpu="H100 SXM", speed_efficiency=0.5)
    assert not {"finetune_speed_one_source", "finetune_speed_uncalibrated"} & {c["code"] for c in given["caveats"]}
    assert Q.finetune_efficiency_in({}, "qlora+fsdp") == (Q.DEFAULT_MFU, f"no published fine-tuning speeds: the "
                                                          f"default MFU {Q.DEFAULT_MFU:g}", 0)
    table = {"qlora": {"efficiency": 0.2, "n": 3, "n_sources": 1}, "all": {"efficiency": 0.4, "n": 9, "n_sources": 3}}
    assert Q.finetune_efficiency_in(table, "qlora")[::2] == (0.2, 1)
    assert Q.finetune_efficiency_in(table, "full")[::2] == (0.4, 0)
    speed = given["figures"]["finetune_tokens_per_s"]
    assert "low" not in speed  # the person's own efficiency: no framework spread around it


def test_the_speed_band_never_passes_the_gpus_peak():
    """The band's top is at most the speed at the whole dense bf16 peak (efficiency 1), and the times' bottom
    at most the time there."""
    for method in ("full", "lora", "qlora"):
        r = run(model=LLAMA3, method=method, gpu="H100 SXM", n_gpus=2, dataset_tokens=1e9)
        at_peak = run(model=LLAMA3, method=method, gpu="H100 SXM", n_gpus=2, dataset_tokens=1e9, speed_efficiency=1.0)
        assert r["figures"]["finetune_tokens_per_s"]["high"] <= value(at_peak, "finetune_tokens_per_s") * (1 + 1e-12)
        assert r["figures"]["finetune_s"]["low"] >= value(at_peak, "finetune_s") * (1 - 1e-12)


def test_a_run_longer_than_the_tool_counts_names_the_data_size():
    with pytest.raises(InputError) as exc:
        run(model=LLAMA3, dataset_tokens=1e17, epochs=1000)
    assert exc.value.field == "dataset_tokens"
