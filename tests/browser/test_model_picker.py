"""Find a model by name in every model picker (type, choose with the keyboard, the figures follow),
and the opt-in Hub fetch of a config.json with the request intercepted (never a real network call)."""
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

import taf

pytestmark = pytest.mark.browser
CONFIGS = Path(__file__).resolve().parent.parent / "fixtures" / "configs"
HUB = "https://huggingface.co"


def _kv_figure(model_id):
    """The engine's KV bytes per token for a model (X-5 at its default context), in bytes."""
    return taf.run_recipe("X-5", model=model_id)["figures"]["kv_bytes_per_token"]["value"]


def _search(p, text):
    box = p.page.locator('[data-testid="model-search"]').first
    box.fill(text)
    p.page.wait_for_selector('[data-testid="model-option"]')
    return box


def test_recipe_picker_type_and_choose_with_the_keyboard(base_url, probe):
    p = probe()
    p.page.goto(base_url + "?view=recipe&recipe=X-5&model=meta-llama%2FMeta-Llama-3-8B")
    p.ready()
    p.settled()
    before = p.page.locator('[data-figure="kv_bytes"]').inner_text()
    box = _search(p, "llama 3.1 405")
    options = p.page.locator('[data-testid="model-option"]')
    ids = [options.nth(i).get_attribute("data-id") for i in range(options.count())]
    assert ids[:2] == ["meta-llama/Llama-3.1-405B", "meta-llama/Llama-3.1-405B-Instruct"], ids
    assert options.nth(0).get_attribute("aria-selected") == "true"
    box.press("ArrowDown")
    assert options.nth(1).get_attribute("aria-selected") == "true"
    box.press("ArrowUp")
    box.press("Enter")
    p.settled()
    expect(p.page).to_have_url(re.compile(r"[?&]model=meta-llama%2FLlama-3\.1-405B(&|$)"))  # written after the result
    assert parse_qs(urlparse(p.page.url).query)["model"] == ["meta-llama/Llama-3.1-405B"]
    assert p.page.locator("form.inputs select >> nth=1").input_value() == "meta-llama/Llama-3.1-405B"
    after = p.page.locator('[data-figure="kv_bytes"]').inner_text()
    assert after != before
    # the 405B's KV per token: 2 · 126 layers · 8 KV heads · 128 · 2 bytes
    assert _kv_figure("meta-llama/Llama-3.1-405B") == 2 * 126 * 8 * 128 * 2
    assert p.page.locator('[role=listbox]').first.is_hidden()  # the list closed
    assert not p.foreign and not p.errors, (p.foreign, p.errors)


def test_profile_and_compare_pickers_find_by_size(base_url, probe):
    p = probe()
    p.page.goto(base_url + "?view=profile&model=meta-llama%2FMeta-Llama-3-8B")
    p.ready()
    p.settled()
    box = _search(p, "gemma 3 27")
    first = p.page.locator('[data-testid="model-option"]').first.get_attribute("data-id")
    assert first == "google/gemma-3-27b-it"
    box.press("Enter")
    p.settled()
    expect(p.page).to_have_url(re.compile(r"[?&]model=google%2Fgemma-3-27b-it(&|$)"))  # written after the result
    assert parse_qs(urlparse(p.page.url).query)["model"] == ["google/gemma-3-27b-it"]
    assert "gemma-3-27b-it" in p.page.locator('[data-testid="result"]').inner_text()

    p.page.goto(base_url + "?view=compare")
    p.settled()
    rows = p.page.locator(".model-row").count()
    box = _search(p, "mixtral 8x22")
    box.press("Enter")
    p.settled()
    assert p.page.locator(".model-row").count() == rows + 1
    headers = p.page.locator(".compare-table thead th").all_inner_texts()
    assert "Mixtral-8x22B-v0.1" in headers, headers
    box.fill("no such model anywhere")
    p.page.wait_for_selector(".model-search-status:text('No model matches.')")
    assert not p.foreign and not p.errors, (p.foreign, p.errors)


def _open_importer(p, base_url):
    p.page.goto(base_url + "?view=profile&model=meta-llama%2FMeta-Llama-3-8B")
    p.ready()
    p.settled()
    p.page.click("summary:text-is('Import a config.json')")


def test_hub_fetch_only_on_click_shows_the_url_and_imports(base_url, probe):
    p = probe()
    asked = []
    body = (CONFIGS / "qwen3-8b.json").read_text()

    def hub(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="application/json", body=body,
                      headers={"access-control-allow-origin": "*"})
    p.page.route(f"{HUB}/**", hub)
    _open_importer(p, base_url)
    p.page.fill("#hub-model-id", "Qwen/Qwen3-8B")
    assert asked == []  # typing asks nothing
    p.page.click('[data-testid="hub-fetch"]')
    p.page.wait_for_selector('[data-testid="config-summary"]')
    url = f"{HUB}/Qwen/Qwen3-8B/resolve/main/config.json"
    assert asked == [url]
    assert p.page.locator('[data-testid="hub-url"]').inner_text() == f"GET {url}"
    assert "qwen3" in p.page.locator('[data-testid="config-summary"]').inner_text()
    assert "Fetched" in p.page.locator('[data-testid="hub-status"]').inner_text()
    p.settled()
    assert not p.foreign and not p.errors, (p.foreign, p.errors)


@pytest.mark.parametrize("answer", ["404", "offline"])
def test_hub_fetch_failure_says_so_and_changes_nothing(base_url, probe, answer):
    p = probe()

    def hub(route):
        if answer == "404":
            route.fulfill(status=404, body="Entry not found", headers={"access-control-allow-origin": "*"})
        else:
            route.abort("internetdisconnected")
    p.page.route(f"{HUB}/**", hub)
    _open_importer(p, base_url)
    p.page.fill("#config-text", "{}")
    url_before = p.page.url
    result_before = p.page.locator('[data-testid="result"]').inner_text()
    p.page.fill("#hub-model-id", "nobody/no-such-model")
    p.page.click('[data-testid="hub-fetch"]')
    p.page.wait_for_selector('[data-testid="hub-status"][data-failed="true"]')
    status = p.page.locator('[data-testid="hub-status"]').inner_text()
    assert ("HTTP 404 (not found)" in status) if answer == "404" else ("Offline" in status)
    assert "Nothing was imported" in status
    assert p.page.locator("#config-text").input_value() == "{}"
    assert p.page.locator('[data-testid="config-summary"]').count() == 0
    assert p.page.url == url_before
    assert p.page.locator('[data-testid="result"]').inner_text() == result_before


def test_hub_fetch_refuses_an_id_that_is_not_owner_slash_name(base_url, probe):
    p = probe()
    asked = []
    p.page.route(f"{HUB}/**", lambda route: (asked.append(route.request.url), route.abort()))
    _open_importer(p, base_url)
    p.page.fill("#hub-model-id", "../../evil?x=1")
    p.page.click('[data-testid="hub-fetch"]')
    p.page.wait_for_selector('[data-testid="hub-status"][data-failed="true"]')
    assert "owner>/<name" in p.page.locator('[data-testid="hub-status"]').inner_text()
    assert asked == [] and not p.foreign
