"""X-TUNE in the browser: a person picks the recipe, a model and a method, and reads whether the fine-tune
fits, the peak with its band in bytes' own unit, and what to change when it does not."""
import re

from playwright.sync_api import expect


def test_fine_tuning_a_model_as_a_person_would(base_url, probe):
    p = probe(viewport={"width": 1280, "height": 900})
    p.page.goto(base_url + "?view=recipe&model=meta-llama%2FMeta-Llama-3-8B")
    p.ready()
    p.settled()
    p.page.select_option("#recipe-select", "X-TUNE")
    p.settled()
    p.page.select_option("select[name=method]", "full")
    p.settled()
    verdict = p.page.locator('[data-testid="verdict"]')
    expect(verdict).to_have_text("DOES NOT FIT")
    assert verdict.get_attribute("data-level") == "critical"
    mitigation = p.page.locator(".verdict-card").inner_text()
    assert "LoRA instead of full fine-tuning" in mitigation and "QLoRA (4-bit base)" in mitigation
    p.page.select_option("select[name=method]", "qlora")
    p.settled()
    expect(verdict).not_to_have_text("DOES NOT FIT")
    peak = p.page.locator('[data-figure="finetune_peak_memory_bytes"]')
    band = peak.locator('[data-testid="figure-band"]').inner_text()
    assert re.fullmatch(r" \([\d.,]+ GB–[\d.,]+ GB\)", band), band  # the band in the value's own unit
    assert p.page.locator('[data-figure="finetune_fits"]').inner_text() == "yes"
    expect(p.page).to_have_url(re.compile("recipe=X-TUNE.*method=qlora|method=qlora.*recipe=X-TUNE"))
    # how long: the speed is there already; with the data's size the run's time and cost appear
    speed = p.page.locator('[data-figure="finetune_tokens_per_s"]').inner_text()
    assert re.search(r"[\d.,]+ (k?tok/s|tokens/s)", speed), speed
    assert p.page.locator('[data-figure="finetune_s"]').count() == 0
    p.page.fill("input[name=dataset_tokens]", "50000000")
    p.page.fill("input[name=epochs]", "3")
    p.settled()
    hours = p.page.locator('[data-figure="finetune_s"]').inner_text()
    assert re.search(r"[\d.,]+ (hours|days)", hours), hours
    assert p.page.locator('[data-figure="finetune_usd"]').count() == 1
    step = p.page.locator('[data-testid="chain-step"]', has_text="Time and cost of the run")
    step.locator("summary").click()  # a person opens the step to read how it was worked out
    assert "150,000,000 tokens" in step.inner_text()
    assert p.errors == [] and p.foreign == []


def test_a_state_space_model_is_not_modelled(base_url, probe):
    p = probe(viewport={"width": 390, "height": 900})
    p.page.goto(base_url + "?view=recipe&recipe=X-TUNE&model=state-spaces%2Fmamba-2.8b")
    p.ready()
    p.settled()
    verdict = p.page.locator('[data-testid="verdict"]')
    expect(verdict).to_have_text("NOT MODELLED")
    assert verdict.get_attribute("data-level") == "unknown"
    assert p.page.locator('.caveats li[data-code="finetune_architecture_not_modelled"]').count() == 1
    assert p.errors == [] and p.foreign == []


def test_the_accuracy_view_holds_the_fine_tuning_peaks(base_url, probe):
    """The measured peaks X-TUNE is calibrated on are in the Accuracy view: a summary row, and filtering to
    the category shows LitGPT's and the others' runs with their quotes."""
    p = probe()
    p.page.goto(base_url + "?view=accuracy")
    p.ready()
    p.settled(timeout=60000)
    row = p.page.locator('[data-testid="accuracy-summary"] tr[data-category="finetune_peak_memory_bytes"]')
    assert row.count() == 1 and "Fine-tuning peak memory" in row.inner_text()
    p.page.select_option("select[name=category]", "finetune_peak_memory_bytes")
    rows = p.page.locator('[data-testid="accuracy-row"]')
    engines = rows.locator("td:nth-child(3)").all_inner_texts()
    assert rows.count() > 50 and any("other:litgpt" in t for t in engines)
    # the speeds: seconds per step and tokens per second are plotted apart, each against its own unit
    p.page.select_option("select[name=category]", "finetune_tokens_per_s")
    plots = p.page.locator('[data-testid="accuracy-plot"]')
    labels = sorted(plots.nth(i).get_attribute("aria-label") for i in range(plots.count()))
    assert labels == ["Predicted versus measured (s/step), log-log, with the line y = x",
                      "Predicted versus measured (tokens/s), log-log, with the line y = x"]
    assert p.errors == [] and p.foreign == []
