"""Issue 11: the calibration is reproducible from the corpus, predictions never look up a measured
point, achieved figures carry bands (from predictions of sources left out of the fit), figures
predicted poorly for unseen setups say so, and the cross-validated accuracy does not regress."""
import copy

import pytest

import taf
from taf import accuracy, cli, corpus

# Leave-one-source-out figures the corpus reaches today (bench/accuracy.py prints them), with a small
# margin: a change that makes a prediction worse fails here. Lower them as the app improves.
LOSO_CEILINGS = {  # category: (median |error|, p90 |error|); today: 10.4/30.6, 0.4/3.6, 2.8/54.2, 35.4/106,
    # 45.0/211, 404/476 %
    "decode_tokens_per_s": (0.11, 0.33),  # was 17.8/49.0 % before the fixed per-step overhead; 11.7/42.3 % on
    # 234 points before the 21 vLLM/SGLang points and the engine × memory effect (their own sources' errors
    # fell from ≈ 22 % to 3–16 %), 11.8/45.1 % before TensorRT-LLM's throughput tables were predicted end to
    # end (its own error 50 → 13 %; llama.cpp's 7.4 → 8.7 %: the decode fit lost 17 HBM points); 12.6/39.0 %
    # before AutoAWQ's two-GPU runs were read as the layer split they are (not tensor parallel)
    "weights_bytes": (0.01, 0.05),
    "kv_pool_tokens": (0.05, 0.60),
    "training_gpu_hours": (0.37, 1.10),  # 78/188 % on 2 sources; 45/87 % with 8 points from 5 more repositories;
    # 35.5/106 % with the goodput against the GPU's speed (H100 runs: about half the A100 runs' share)
    "prefill_tokens_per_s": (0.47, 2.2),   # 42.7/387 % before the engine × memory effect; 38.9/342 % before the
    # prefill roofline (weights read once, all-reduces, the fixed step overhead) and AutoAWQ's layer split;
    # 39.9/261 % before a point measured on a batch of k prompts counted k prompts' FLOPs (as the end-to-end
    # points do): the median rose (AutoAWQ's batched points had been pulling its MFU down), the p90 fell
    "finetune_peak_memory_bytes": (0.14, 0.40),  # 24.2/50.5 % counted alone on 2 sources; 12.2/39.8 % with a
    # calibrated measured÷counted factor per method and sharding; 11.6/35.8 % with universal-llm-trainer's 46 runs;
    # 10.9/31.3 % once LitGPT's FSDP rows (at or above the same run on one GPU) and the copied Llama 3 rows were held
    "finetune_tokens_per_s": (0.70, 11.5),  # 64.8/1068 % on 5 sources (errors of the speed, also for times per
    # step): frameworks differ up to tenfold (DGX Cloud's NeMo 53–69 % of the bf16 peak on the counted FLOPs,
    # universal-llm-trainer 10–44 % and 3–7 % for its QLoRA, the only QLoRA source: left out, QLoRA is predicted
    # as a full fine-tune, 13× too fast); 51.7/91.0 % before errors of times per step were read as speeds
    "time_to_first_token_s": (4.2, 5.0),  # 788/920 % before the engine × memory effect, 669/783 % before the
    # roofline, 557/652 % before batches counted their prompts (TinyChat's points need a better peak; see notes)
}


@pytest.fixture(scope="module")
def raw():
    return {p["id"]: accuracy.raw_prediction(p)[0] for p in corpus.points()}


def test_calibration_file_is_what_the_corpus_gives():
    """Same corpus → same file, byte for byte (python -m taf calibrate; the build checks it too)."""
    texts = cli.calibration_texts()
    assert set(texts) == {corpus.CALIBRATION_FILE, corpus.PREDICTIONS_FILE}
    for name, text in texts.items():
        assert (taf.catalog.presets_dir() / name).read_text(encoding="utf-8") == text, name
    cal = corpus.calibration()
    assert cal["corpus_hash"] == corpus.corpus_hash() and cal["n_points"] == len(corpus.points())


def test_predictions_never_read_the_measured_value(raw):
    """Change every measured value: the raw predictions do not move (no lookup of the points)."""
    for p in corpus.points()[:200]:
        changed = {**copy.deepcopy(p), "value": p["value"] * 3.7}
        assert accuracy.raw_prediction(changed)[0] == raw[p["id"]]


def test_a_source_left_out_does_not_inform_its_own_prediction(raw):
    """Leave-one-source-out: scaling one source's values leaves that source's predictions unchanged."""
    points = corpus.points()
    source = max({accuracy.source_key(p) for p in points},
                 key=lambda s: sum(1 for p in points if accuracy.source_key(p) == s and raw[p["id"]]))
    scaled = [{**p, "value": p["value"] * 2} if accuracy.source_key(p) == source else p for p in points]
    train = [p for p in points if accuracy.source_key(p) != source]
    cal_a, cal_b = accuracy.fit(train, raw), accuracy.fit([p for p in scaled if accuracy.source_key(p) != source], raw)
    assert cal_a == cal_b


@pytest.fixture(scope="module")
def unseen(raw):
    """Every source's points predicted by a calibration fitted on the other sources."""
    return accuracy.loso_predictions(corpus.points(), raw)


def test_cross_validated_accuracy_does_not_regress(unseen):
    loso = accuracy._loso_errors(unseen)
    for category, (median, p90) in LOSO_CEILINGS.items():
        stats = loso[category]
        assert stats["median_abs_error"] <= median, (category, stats)
        assert stats["p90_abs_error"] <= p90, (category, stats)


def test_bands_come_from_predictions_of_sources_left_out_of_the_fit(unseen):
    """The shipped band of a category is the 10th–90th percentile of measured ÷ predicted over the
    leave-one-source-out predictions, recomputed here by hand (not the fit's own, narrower residuals)."""
    import statistics
    shipped = corpus.calibration()["bands"]
    ratios = [p["value"] / pred for p, pred in unseen if p["category"] == "decode_tokens_per_s"]
    q = statistics.quantiles(ratios, n=10, method="inclusive")
    assert (shipped["decode_tokens_per_s"]["low"], shipped["decode_tokens_per_s"]["high"]) == (round(q[0], 4), round(q[-1], 4))
    assert shipped["decode_tokens_per_s"]["n"] == len(ratios) and shipped["decode_tokens_per_s"]["basis"] == "leave-one-source-out"
    residual = accuracy.evaluate(corpus.points(), {**accuracy.fit(corpus.points()), "bands": shipped})
    assert residual["decode_tokens_per_s"]["band_coverage"] >= 0.80  # wider than the in-sample residuals need


def test_a_band_made_without_a_source_holds_about_80_percent_of_its_decode_speeds(unseen):
    """Band coverage on a source the band was not made from: each source's leave-one-source-out predictions
    against a band made from the other sources' leave-one-source-out ratios (78 % today; those fits saw the
    source, and a fully nested check covers more, so this is the pessimistic side). Categories whose errors are specific to their source
    (prefill, TTFT, training MFU) do not reach it, and their figures say so (next test)."""
    loso = accuracy._loso_errors(unseen)
    assert 0.70 <= loso["decode_tokens_per_s"]["band_coverage"] <= 0.90
    assert loso["time_to_first_token_s"]["band_coverage"] < 0.5


def test_a_figure_predicted_poorly_for_unseen_setups_says_so():
    """X-FIT's time to first token (404 % median error leave-one-source-out) carries a caveat naming that
    error; decode speed (10.4 %, under the 25 % limit) does not; X-5 (decode only) carries none."""
    r = taf.run_recipe("X-FIT", model="meta-llama/Meta-Llama-3-8B", gpu="H100 SXM")
    codes = {c["code"]: c["text"] for c in r["caveats"]}
    ttft_error = corpus.calibration()["leave_one_source_out"]["time_to_first_token_s"]["median_abs_error"]
    assert ttft_error > taf.quantities.UNSEEN_ERROR_LIMIT
    assert f"{ttft_error * 100:,.0f}%" in codes["uncertain_time_to_first_token_s"]
    assert "uncertain_decode_tokens_per_s" not in codes
    ttft = r["figures"]["time_to_first_token_s"]
    band = corpus.calibration()["bands"]["time_to_first_token_s"]
    assert (ttft["low"], ttft["high"]) == (ttft["value"] * band["low"], ttft["value"] * band["high"])
    x5 = taf.run_recipe("X-5", model="meta-llama/Meta-Llama-3-8B")
    assert not [c for c in x5["caveats"] if c["code"].startswith("uncertain_")]
    x1 = taf.run_recipe("X-1", model="meta-llama/Meta-Llama-3-8B")
    assert "uncertain_training_gpu_hours" in {c["code"] for c in x1["caveats"]}


def test_achieved_figures_carry_bands_and_exact_ones_do_not():
    r = taf.run_recipe("X-FIT", model="meta-llama/Meta-Llama-3-8B", gpu="RTX 4090", engine="llama.cpp",
                       weights="Q4_K_M", kv_dtype="fp16")
    decode = r["figures"]["decode_tokens_per_s"]
    assert decode["low"] < decode["value"] < decode["high"]
    assert "low" not in r["figures"]["weights_bytes"] and "low" not in r["figures"]["kv_bytes"]
    step = next(s for s in r["chain"] if s["name"] == "Decode speed")
    assert step["inputs"]["efficiency_from"].startswith("calibrated on")
    assert step["bands"]["decode_tokens_per_s"]["low"] == decode["low"]
    given = taf.run_recipe("X-FIT", model="meta-llama/Meta-Llama-3-8B", gpu="RTX 4090", achieved_bandwidth_fraction=0.5)
    assert given["figures"]["decode_tokens_per_s"]["at"]["achieved_bandwidth_fraction"] == 0.5


def test_accuracy_report_lists_every_point_with_its_quote():
    report = accuracy.accuracy_report()
    assert len(report["rows"]) == len(corpus.points())
    assert all(r["quote"] and r["source"] for r in report["rows"])
    predicted = [r for r in report["rows"] if r["predicted"]]
    assert predicted and all(r["error"] == pytest.approx(r["predicted"] / r["measured"] - 1) for r in predicted
                             if r["unit"] != "s/step")
    per_step = [r for r in predicted if r["unit"] == "s/step"]  # a time per step reads as the speed it implies
    assert per_step and all(r["error"] == pytest.approx(r["measured"] / r["predicted"] - 1) for r in per_step)
    assert "decode_tokens_per_s" in report["summary"]["leave_one_source_out"]


def test_the_default_engine_vllm_is_predicted_from_other_sources(raw):
    """vLLM (X-FIT's default engine): each source of vLLM decode speeds, left out of the fit, is
    predicted with a median |error| under 20 % (≈ 12 % today; with a single vLLM point in the corpus
    and no engine × memory effect, vLLM on an A100 was predicted at 44 tok/s against 81 measured)."""
    import statistics
    points = corpus.points()
    mine = [p for p in points if p["engine"] == "vllm" and p["category"] == "decode_tokens_per_s" and raw[p["id"]]]
    errors = []
    for source in {accuracy.source_key(p) for p in mine}:
        cal = accuracy.fit([p for p in points if accuracy.source_key(p) != source], raw)
        for p in mine:
            if accuracy.source_key(p) == source:
                errors.append(abs(accuracy._predicted(p, cal, raw[p["id"]]) / p["value"] - 1))
    assert len(errors) >= 15 and statistics.median(errors) < 0.20, sorted(errors)


def test_an_end_to_end_figure_has_the_prefill_of_its_batch_in_its_time(raw):
    """TensorRT-LLM's throughput tables time a static batch from its prompts: k·n output tokens ÷
    (the batch's prefill + n decode steps), the prefill = max(k × one prompt's FLOPs at the calibrated MFU,
    the weights read once at the decode efficiency) + k × its all-reduces + the step overhead. Predicted
    so, exactly; without the prefill the same setting would be faster; such points do not feed the
    decode fit."""
    cal = corpus.calibration()
    points = [p for p in corpus.points() if p["quantity"] == "end_to_end"]
    assert len(points) >= 14 and all(p["engine"] == "tensorrt-llm" for p in points)
    for p in points:
        k, n = p["setting"]["concurrent_users"], p["setting"]["generated_tokens"]
        decode_only = accuracy._predicted({**p, "quantity": "aggregate"}, cal, raw[p["id"]])
        one = accuracy.batch_prefill_raw(p)
        mfu, eff = accuracy._scale("prefill_tokens_per_s", p, cal), accuracy._decode_efficiency(cal, p)
        prefill_s = max(k * one.compute_s / mfu, one.memory_s / eff) + k * one.collective_s + accuracy.decode_overhead(cal, p)
        assert accuracy._predicted(p, cal, raw[p["id"]]) == pytest.approx(k * n / (prefill_s + n * k / decode_only), rel=1e-12)
        assert accuracy._predicted(p, cal, raw[p["id"]]) < decode_only
    scaled = [{**p, "value": p["value"] * 3} if p["quantity"] == "end_to_end" else p for p in corpus.points()]
    assert accuracy.fit(scaled, raw)["decode_efficiency"] == accuracy.fit(corpus.points(), raw)["decode_efficiency"]


def test_a_decode_figure_over_a_generation_is_predicted_at_its_mean_context_and_stated_kv_type():
    """Each decode step reads the KV cache held at that step: a figure averaged over generating n tokens
    after a prompt of m is predicted at m + n/2; a KV cache the source states in fp8 is read in fp8."""
    point = next(p for p in corpus.points() if p["id"].startswith("tensorrt-llm-performance-doc")
                 and p["setting"]["prompt_tokens"] == 2048 and p["setting"]["generated_tokens"] == 2048)
    args = accuracy.xfit_inputs(point, None)
    assert args["context"] == 2048 + 1024 and point["setting"]["context"] == 4096
    assert point["kv_dtype"] == "fp8" and args["kv_dtype"] == "fp8"
    llama = next(p for p in corpus.points() if p["engine"] == "llama.cpp" and p["category"] == "decode_tokens_per_s"
                 and p["setting"]["prompt_tokens"] == 0 and p["setting"]["generated_tokens"]
                 and accuracy.xfit_inputs(p, "llama.cpp") is not None)
    assert accuracy.xfit_inputs(llama, "llama.cpp")["context"] == llama["setting"]["generated_tokens"] // 2


def test_the_goodput_fit_recovers_two_predictors_exactly():
    """Least squares on y = 1 + 2·x1 − 3·x2 (no noise) gives back (1, 2, −3); under 6 points only the size
    slope is fitted; under 3 a constant."""
    x1 = [0.1, 0.5, 1.0, 1.7, 2.2, 2.6, 0.3]
    x2 = [0.0, 0.5, 0.2, 0.5, 0.0, 0.3, 0.45]
    y = [1 + 2 * a - 3 * b for a, b in zip(x1, x2)]
    assert accuracy._two_predictor_fit(x1, x2, y) == pytest.approx((1, 2, -3), abs=1e-9)
    assert accuracy._two_predictor_fit(x1[:4], x2[:4], y[:4])[2] == 0.0
    assert accuracy._two_predictor_fit(x1[:2], x2[:2], y[:2]) == (pytest.approx(sum(y[:2]) / 2), 0.0, 0.0)


def test_training_goodput_falls_with_the_gpus_speed_and_never_extrapolates():
    """Published GPU-hours: H100-class runs keep their GPUs less busy than A100 runs (the fitted slope is
    negative); a GPU faster than any measured run is held at the fastest (B200 = H100 SXM) and says so."""
    from taf import quantities as Q
    training = corpus.calibration()["training"]
    assert training["goodput_slope_per_peak_decade"] < 0
    a100, h100, b200 = (taf.catalog.gpu(n) for n in ("A100 80GB", "H100 SXM", "B200"))
    n = 8e9
    assert Q.training_goodput(training, n, h100) < Q.training_goodput(training, n, a100)
    fastest = {"bf16_tflops": Q.GOODPUT_REFERENCE_FLOPS / 1e12 * 10 ** training["goodput_peak_range"][1]}
    assert Q.training_goodput(training, n, b200) == pytest.approx(Q.training_goodput(training, n, fastest), rel=1e-12)
    assert Q.training_goodput(training, n, b200) == pytest.approx(Q.training_goodput(training, n, h100), rel=1e-3)
    mfu, where = Q.calibrated_training_mfu(n, b200)
    assert mfu == pytest.approx(Q.calibrated_training_mfu(n, h100)[0], rel=1e-3) and "outside the published runs" in where
    assert "outside" not in Q.calibrated_training_mfu(n, h100)[1]


def test_multi_gpu_runs_of_layer_split_engines_are_predicted_as_layer_splits():
    """llama.cpp, ExLlamaV2 and AutoAWQ (from_quantized with device_map="balanced") put whole layers on each
    GPU and run them one after another: their multi-GPU points are predicted with tensor_parallel 1."""
    split = [p for p in corpus.points() if p["engine"] in accuracy.LAYER_SPLIT_ENGINES and p["n_gpus"] > 1
             and p["setting"]["tensor_parallel"] is None]
    assert any(p["engine"] == "other:autoawq" for p in split)
    for p in split:
        args = accuracy.xfit_inputs(p, accuracy.ENGINE_FOR_XFIT.get(p["engine"]))
        if args is not None:
            assert args["tensor_parallel"] == 1 and args["n_gpus"] == p["n_gpus"], p["id"]


def test_a_prefill_measurement_teaches_the_mfu_only_where_compute_bounds_it(raw):
    """The prefill fit learns MFU = compute seconds at MFU 1 ÷ (measured − all-reduces − overhead); a
    measurement no slower than reading the weights (at the fitted efficiency) plus overhead teaches none."""
    cal = corpus.calibration()
    point = next(p for p in corpus.points() if p["category"] == "time_to_first_token_s" and raw[p["id"]])
    r = raw[point["id"]]
    o, eff = accuracy.decode_overhead(cal, point), accuracy._decode_efficiency(cal, point)
    slow = {**point, "value": 10 * (r.memory_s / eff + o + r.collective_s)}
    assert accuracy._implied_mfu(slow, r, cal)[1] == pytest.approx(r.compute_s / (slow["value"] - o - r.collective_s))
    fast = {**point, "value": 0.99 * (r.memory_s / eff + o + r.collective_s)}
    assert accuracy._implied_mfu(fast, r, cal) is None


def test_every_run_the_goodput_was_fitted_on_is_inside_its_ranges(raw):
    """The stored size and speed ranges are rounded outward: no published run the goodput was fitted on is
    reported as 'outside the published runs' (granite-3.0-1b-a400m, the smallest, sits on the edge)."""
    from taf import quantities as Q
    fitted = [p for p in corpus.points() if p["category"] == "training_gpu_hours" and raw[p["id"]]]
    assert fitted
    for p in fitted:
        record = accuracy.model_record(p["model"])
        n = record.get("n_params_active") or record["n_params"]
        assert Q.goodput_extrapolated(n, taf.catalog.gpu(p["hardware"])) == "", p["id"]


def test_a_fit_on_prefill_points_alone_learns_an_mfu_without_a_decode_fit(raw):
    """Degenerate data: with no decode point there is no efficiency and no memory floor — the prefill fit
    still runs (every compute-bound measurement teaches its MFU)."""
    points = [p for p in corpus.points() if p["category"] == "prefill_tokens_per_s" and raw[p["id"]]]
    cal = accuracy.fit(points, raw)
    assert cal["prefill_mfu"]["n"] == len(points)


def test_the_accuracy_view_shows_what_predict_gives_for_every_point():
    """The view reads the predictions `python -m taf calibrate` stored (it opens in milliseconds): each
    row is exactly what predict() gives with the shipped calibration, and a point the file does not
    hold yet is predicted on the spot."""
    cal = corpus.calibration()
    assert set(corpus.stored_predictions()) == {p["id"] for p in corpus.points()}
    rows = {r["id"]: r for r in accuracy.accuracy_rows(cal)}
    for p in corpus.points():
        value, band, reason = accuracy.predict(p, cal)
        row = rows[p["id"]]
        assert (row["predicted"], row["not_predicted"]) == (value, reason)
        assert (row["low"], row["high"]) == (band or (None, None))
    assert accuracy.accuracy_rows(dict(cal)) == list(rows.values())  # another calibration: predicted on the spot


def test_every_category_of_the_corpus_has_its_row_in_the_accuracy_view():
    """The Accuracy view's summary lists the categories it has labels for: every category the corpus holds."""
    report = accuracy.accuracy_report()
    assert {p["category"] for p in corpus.points()} <= set(report["category_labels"])
