"""X-FIT in the browser: the per-card plan with each engine item, the KV pool and the launch command;
changing the engine or the GPU count changes them (issue 10)."""
import re

from playwright.sync_api import expect


def opened(probe, base_url, query, width=1280):
    """A fresh page at `query`, its engine ready and its result drawn."""
    p = probe(viewport={"width": width, "height": 900})
    p.page.goto(base_url + query)
    p.ready()
    p.settled()
    return p


def test_plan_breakdown_and_launch_flags(base_url, probe):
    p = opened(probe, base_url, "?view=recipe&recipe=X-FIT&model=meta-llama%2FLlama-3.3-70B-Instruct&gpu=H100%20SXM"
                "&n_gpus=4&context=32768&concurrent_users=8")
    plan = p.page.locator('[data-testid="deployment-plan"]')
    assert plan.is_visible()
    rows = p.page.locator('[data-testid="plan-breakdown"] tbody th').all_inner_texts()
    assert rows[0] == "weights" and "KV cache pool" in rows and "activation peak (profiling run)" in rows
    caption = p.page.locator('[data-testid="plan-breakdown"] caption').inner_text()
    assert "H100 SXM" in caption and "vLLM" in caption and "tensor parallel 4" in caption
    command = p.page.locator('[data-testid="launch-command"]').inner_text()
    assert command.startswith("vllm serve meta-llama/Llama-3.3-70B-Instruct --tensor-parallel-size 4")
    assert "--max-model-len 32768" in command
    assert "tokens" in p.page.locator('[data-testid="plan-pool"]').inner_text()
    assert p.page.locator('[data-figure="kv_pool_tokens"]').count() == 1
    p.page.select_option("select[name=engine]", "llama.cpp")
    p.settled()
    assert p.page.locator('[data-testid="launch-command"]').inner_text().startswith("llama-server -m ")
    assert "compute buffer" in p.page.locator('[data-testid="plan-breakdown"] tbody').inner_text()
    assert p.page.locator('[data-testid="plan-pool"]').count() == 0  # llama.cpp allocates what you ask: no pool
    expect(p.page).to_have_url(re.compile(re.escape("engine=llama.cpp")))  # the link is written after the result
    assert p.errors == [] and p.foreign == []


def test_a_budget_inside_the_cost_band_reads_as_a_caution_with_the_band_in_days(base_url, probe):
    """X-3: a budget between the training-cost estimate and the top of its band is a caution naming that
    top; the wall-clock time's band is written in days like the time itself, and the poorly predicted
    GPU-hours say so in a caveat."""
    p = opened(probe, base_url, "?view=recipe&recipe=X-3&target_N_params=7e9&n_gpus=8&USD_budget=30000")
    verdict = p.page.locator('[data-testid="verdict"]')
    expect(verdict).to_have_text("AFFORDABLE IF THE ESTIMATE HOLDS")
    assert verdict.get_attribute("data-level") == "warning"
    assert "the top of its 80 % band" in p.page.locator(".verdict-card .reason").inner_text()
    time = p.page.locator('[data-figure="training_s"]')
    value, band = time.inner_text(), time.locator('[data-testid="figure-band"]').inner_text()
    assert "days" in value and re.fullmatch(r" \([\d.,]+ days–[\d.,]+ days\)", band), (value, band)
    assert p.page.locator('.caveats li[data-code="uncertain_training_gpu_hours"]').count() == 1
    assert p.errors == [] and p.foreign == []


def test_plan_on_a_phone_stacks_its_rows(base_url, probe):
    p = opened(probe, base_url, "?view=recipe&recipe=X-FIT&model=meta-llama%2FMeta-Llama-3-8B&gpu=RTX%204090", 390)
    table = p.page.locator('[data-testid="plan-breakdown"]')
    box = table.bounding_box()
    assert box["width"] <= 390  # no sideways scrolling: the rows stack
    assert p.errors == []


def test_achieved_figures_show_their_band(base_url, probe):
    """'112 tok/s (95–128)': decode speed carries the calibration's 80 % band on screen; bytes do not."""
    p = opened(probe, base_url, "?view=recipe&recipe=X-FIT&model=meta-llama%2FMeta-Llama-3-8B&gpu=RTX%204090"
                "&engine=llama.cpp&kv_dtype=fp16&weights=Q4_K_M")
    decode = p.page.locator('[data-figure="decode_tokens_per_s"]')
    assert decode.locator('[data-testid="figure-band"]').count() == 1
    assert "–" in decode.locator('[data-testid="figure-band"]').inner_text()
    assert p.page.locator('[data-figure="weights_bytes"] [data-testid="figure-band"]').count() == 0
    p.page.goto(base_url + "?view=recipe&recipe=X-5&model=meta-llama%2FMeta-Llama-3-8B")
    p.settled()
    assert p.page.locator('[data-figure="decode_tokens_per_s"] [data-testid="figure-band"]').count() == 1
    assert p.errors == [] and p.foreign == []


def test_serving_and_gamma_charts_render_from_engine_data(base_url, probe):
    """Decode speed vs context and vs users (with bands) in X-FIT; cost vs volume with the break-even in
    X-1 serve-only; γ vs context over the zones in X-2 — each a chart of engine data, readable at 390 px."""
    for width in (1280, 390):
        p = opened(probe, base_url, "?view=recipe&recipe=X-FIT&model=meta-llama%2FMeta-Llama-3-8B&gpu=H100%20SXM"
                   "&concurrent_users=8", width)
        for chart in ("decode_vs_context", "decode_vs_users"):
            fig = p.page.locator(f'[data-chart="{chart}"]')
            assert fig.locator('[data-testid="chart-point"]').count() >= 4
            assert fig.locator(".chart-band").count() >= 1
            assert fig.locator("svg").bounding_box()["width"] <= width
        p.page.goto(base_url + "?view=recipe&recipe=X-1&model=meta-llama%2FMeta-Llama-3-8B&D_tokens=0&monthly_tokens_M=100")
        p.settled()
        cost = p.page.locator('[data-chart="usd_vs_volume"]')
        assert cost.locator('[data-testid="chart-point"]').count() > 20 and "break-even" in cost.inner_text()
        p.page.goto(base_url + "?view=recipe&recipe=X-2&model=meta-llama%2FMeta-Llama-3-8B&T_eval=32768")
        p.settled()
        assert p.page.locator('[data-chart="gamma_vs_context"] .chart-zone').count() >= 4
        assert p.errors == [] and p.foreign == []
