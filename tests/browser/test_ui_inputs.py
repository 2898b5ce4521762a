"""Issue 13, inputs people type: suffixes read by the engine, the canonical value in the URL,
errors that say what to type, integers shown exactly, SI prefixes with full precision on hover."""
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
XFIT = "?view=recipe&recipe=X-FIT&model=Qwen%2FQwen2.5-7B"


def live(p):
    p.live()


def url_has(page, text):
    expect(page).to_have_url(re.compile(re.escape(text)))


def test_32k_is_accepted_and_stored_as_32768(base_url, probe):
    p = probe()
    p.page.goto(base_url + XFIT)
    p.ready()
    p.page.fill("input[name=context]", "32k")
    live(p)
    expect(p.page.locator('[data-testid="field-error"]')).to_have_count(0)
    url_has(p.page, "context=32768")
    assert parse_qs(urlparse(p.page.url).query)["context"] == ["32768"]
    assert p.page.input_value("input[name=context]") == "32k"  # what the person typed stays in the field
    p.page.goto(p.page.url)  # the link reopened shows the engine's value
    assert p.page.input_value("input[name=context]") == "32768"
    p.ready()
    p.page.click("summary:has-text('Model details')")
    for text, key, value in (("8B", "n_params", "8000000000"), ("90 %", "memory_utilization", "0.9"),
                             ("128K", "context", "131072")):
        p.page.fill(f"input[name={key}]", text)
        url_has(p.page, f"{key}={value}")
        expect(p.page.locator('[data-testid="field-error"]')).to_have_count(0)


def test_every_error_says_what_to_type(base_url, probe):
    p = probe()
    p.page.goto(base_url + XFIT)
    p.ready()
    p.settled()
    error = p.page.locator('[data-testid="field-error"]')
    p.page.fill("input[name=memory_utilization]", "90")
    expect(error).to_have_text("memory_utilization must be at most 1; got 90; did you mean 0.9?")
    p.page.fill("input[name=memory_utilization]", "0.9")
    expect(error).to_have_count(0)
    p.page.fill("input[name=context]", "lots")
    expect(error).to_contain_text("type one such as 32768, 32k")
    p.page.fill("input[name=context]", "2.5")
    expect(error).to_contain_text("did you mean 2 or 3?")
    p.page.fill("input[name=context]", "8192")
    p.page.fill("input[name=concurrent_users]", "0")
    expect(error).to_contain_text("type 1 or more")


def test_integers_are_shown_exactly_and_large_figures_keep_full_precision_on_hover(base_url, probe):
    p = probe()
    p.page.goto(base_url + "?view=recipe&recipe=X-2&model=Qwen%2FQwen2.5-7B")
    p.ready()
    p.page.fill("input[name=T_eval]", "32768")
    live(p)
    steps = p.page.locator('[data-testid="chain-step"] summary')
    for i in range(steps.count()):
        steps.nth(i).click()
    text = p.page.locator(".chain").inner_text()
    assert "T_eval = 32,768" in text and "32,770" not in text
    p.page.fill("input[name=T_eval]", "131072")
    expect(p.page.locator(".chain")).to_contain_text("T_eval = 131,072")
    assert "131,100" not in p.page.locator(".chain").inner_text()
    # a large derived figure in SI units: a prefix on the page, every digit in the title
    p.page.fill("input[name=T_eval]", "32768")
    expect(p.page.locator(".chain")).to_contain_text("T_eval = 32,768")
    p.page.goto(base_url + XFIT + "&context=32768")
    p.ready()
    p.page.fill("input[name=concurrent_users]", "2")
    live(p)
    weights = p.page.locator('[data-figure="weights_bytes"]')
    assert re.fullmatch(r"[\d.]+ GB", weights.inner_text())
    assert re.fullmatch(r"\d{10,}(\.0)?", weights.get_attribute("title"))
    expect(p.page.locator('[data-figure="largest_context_tokens"]')).to_have_text("32,768 tokens")
