"""Issue 13, sweeps and charts: a sweep from the URL is one engine call with one point per value,
64 points in under 200 ms; chart ticks are powers of two (context) and round values, and no label
overlaps another or leaves the chart at 390 px; X-FIT's chart marks the largest context that fits."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
SWEEP = "?view=recipe&recipe=X-FIT&model=Qwen%2FQwen2.5-7B&sweep=context&sweep_from=1k&sweep_to=128k"
POWERS = {f"{2 ** k}K" for k in range(0, 10)} | {f"{2 ** k}M" for k in range(0, 10)} | {"512", "256"}

LABEL_BOXES = """svg => {
  const frame = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
    const b = t.getBoundingClientRect();
    return {text: t.textContent, left: b.left - frame.left, right: b.right - frame.left, top: b.top - frame.top,
            bottom: b.bottom - frame.top, width: frame.width, height: frame.height};
  });
}"""


def overlaps(a, b):
    return a["left"] < b["right"] - 0.5 and b["left"] < a["right"] - 0.5 and a["top"] < b["bottom"] - 0.5 and b["top"] < a["bottom"] - 0.5


def readable(svg):
    boxes = svg.evaluate(LABEL_BOXES)
    assert boxes
    for box in boxes:
        assert box["left"] >= -0.5 and box["right"] <= box["width"] + 0.5, box
        assert box["top"] >= -0.5 and box["bottom"] <= box["height"] + 0.5, box
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not overlaps(a, b), (a, b)
    return boxes


def test_a_sweep_from_the_url_is_one_call_with_a_point_per_value(base_url, probe):
    p = probe()
    p.page.goto(base_url + SWEEP)
    p.ready()
    chart = p.page.locator('[data-testid="sweep-chart"]')
    expect(chart).to_be_visible(timeout=30000)
    expect(p.page.locator('[data-testid="sweep-point"]')).to_have_count(64)
    labels = {t for t in chart.locator("svg text[data-tick]").all_text_contents()}
    assert labels and labels <= POWERS, labels
    # once the engine is up: 64 points in one engine call (its speed is bench/app.py's, not a test's)
    p.page.evaluate("""() => { const e = window.__taf.engine, call = e.call.bind(e); window.__calls = [];
        e.call = (name, ...rest) => { window.__calls.push(name); return call(name, ...rest); }; }""")
    for to in ("128K", "131072", "128k"):  # each a new range text: a new call (the same one is not asked twice)
        p.page.fill("#sweep-to", to)
        p.page.press("#sweep-to", "Enter")  # marks the shown sweep pending at once, until this call's answer
        # the previous sweep's timing also says "64 points": read the one drawn after this call
        timing = p.page.locator('[data-testid="sweep"] .sweep-out:not(.pending) [data-testid="sweep-timing"]')
        expect(timing).to_contain_text("64 points")
        assert float(timing.get_attribute("data-ms")) > 0
    assert p.page.evaluate("() => window.__calls").count("sweep") == 3, p.page.evaluate("() => window.__calls")
    expect(p.page).to_have_url(re.compile(r"sweep=context&sweep_from=1k&sweep_to=128k"))
    # another figure of the same sweep, without another call
    figure = p.page.locator("#sweep-figure")
    options = figure.locator("option").all_inner_texts()
    assert len(options) >= 2
    figure.select_option(label=options[-1])
    expect(p.page.locator('[data-testid="sweep-point"]')).to_have_count(64)
    # a bad range says what to type
    p.page.fill("#sweep-from", "lots")
    p.page.press("#sweep-from", "Enter")
    expect(p.page.locator('[data-testid="sweep"] [data-testid="field-error"]')).to_contain_text("type one such as")
    assert p.foreign == [] and p.errors == []


def test_sweep_by_hand_of_users(base_url, probe):
    p = probe()
    p.page.goto(base_url + "?view=recipe&recipe=X-FIT&model=Qwen%2FQwen2.5-7B")
    p.ready()
    p.page.click("summary:text-is('Sweep an input across a range')")
    p.page.select_option("#sweep-input", "concurrent_users")
    p.page.fill("#sweep-from", "1")
    p.page.fill("#sweep-to", "64")
    p.page.click('[data-testid="sweep-run"]')
    points = p.page.locator('[data-testid="sweep-point"]')
    expect(points.first).to_be_attached()
    assert 30 <= points.count() <= 64  # whole numbers: repeats dropped
    expect(p.page).to_have_url(re.compile(r"sweep=concurrent_users&sweep_from=1&sweep_to=64"))


@pytest.mark.parametrize("width", [390, 1280])
def test_chart_labels_never_overlap_or_clip(base_url, probe, width):
    p = probe(viewport={"width": width, "height": 900})
    p.page.goto(base_url + SWEEP.replace("sweep_to=128k", "sweep_to=1M"))
    p.ready()
    expect(p.page.locator('[data-testid="sweep-point"]').first).to_be_attached(timeout=30000)
    readable(p.page.locator('[data-testid="sweep-chart"] svg'))
    fit = readable(p.page.locator('[data-testid="fit-chart"] svg'))
    ticks = p.page.locator('[data-testid="fit-chart"] svg text[data-tick]').all_text_contents()
    assert ticks and set(ticks) <= POWERS, ticks
    assert len(fit) >= len(ticks) + 3
    memory = p.page.locator('[data-testid="fit-chart"] svg text[data-ytick]').all_text_contents()
    assert memory[0] == "0" and all(re.fullmatch(r"\d+ GB", m) for m in memory[1:]), memory  # round memory ticks
    assert p.page.evaluate("document.documentElement.scrollWidth") <= width


def test_fit_chart_marks_the_largest_context_that_fits(base_url, probe):
    p = probe()
    p.page.goto(base_url + "?view=recipe&recipe=X-FIT&model=meta-llama%2FMeta-Llama-3-8B&gpu=H100%20SXM&n_gpus=1")
    p.ready()
    p.page.fill("input[name=concurrent_users]", "8")
    p.live()
    answer = p.page.locator('[data-testid="fit-answer"]')
    expect(answer).to_be_attached()
    largest = p.page.locator('[data-figure="largest_context_tokens"]').get_attribute("title")
    assert float(answer.get_attribute("data-context")) == float(largest)
    expect(p.page.locator('[data-testid="fit-chart"] svg')).to_contain_text("largest that fits")
