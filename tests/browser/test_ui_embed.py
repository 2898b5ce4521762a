"""Issue 13, embeds: the copied snippet resizes the iframe that sent the message (two embeds on one
host page both resize), embed=result shows only the answer, the iframe title names model and recipe."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def embed_code(p, base_url, url):
    p.page.goto(base_url + url)
    p.ready()
    p.settled()
    p.context.grant_permissions(["clipboard-read", "clipboard-write"])
    p.page.click("button:text-is('Copy embed code')")
    code = p.page.locator('[data-testid="embed-code"]')
    expect(code).to_be_visible()
    return code.input_value()


def test_copied_snippet_resizes_each_of_two_embeds_on_one_page(base_url, probe, tmp_path_factory):
    from conftest import serve
    p = probe()
    first = embed_code(p, base_url, "?view=recipe&recipe=X-FIT&model=Qwen%2FQwen2.5-7B")
    second = embed_code(p, base_url, "?view=profile&model=meta-llama%2FMeta-Llama-3-8B")
    assert "event.source" in first.replace("e.source", "event.source") and "embed=result" in first
    assert re.search(r'title="TAF Browser: Recipe · X-FIT [^"]*Qwen2\.5-7B"', first)
    assert re.search(r'title="TAF Browser: Profile · [^"]*Llama-3-8B"', second)
    host_dir = tmp_path_factory.mktemp("twoembeds")
    (host_dir / "index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>host</title><h1>My post</h1>" + first + "<p>between</p>" + second,
        encoding="utf-8")
    server, host = serve(host_dir)  # another origin than the app
    try:
        h = probe(viewport={"width": 800, "height": 900})
        h.page.goto(host + "/")
        frames = h.page.locator("iframe")
        expect(frames).to_have_count(2)
        for i in range(2):
            h.page.frame_locator("iframe").nth(i).locator('[data-testid="verdict"]').first.wait_for(timeout=60000)
        heights = []
        for i in range(2):
            frame = h.page.frame_locator("iframe").nth(i)
            inner = frame.locator("html").evaluate("el => Math.ceil(el.getBoundingClientRect().height)")
            expect(frames.nth(i)).to_have_attribute("style", re.compile(rf"height: {inner}px"))
            heights.append(inner)
        assert all(hgt != 480 for hgt in heights)  # both moved off the snippet's starting height
        assert h.foreign == [] and h.errors == []
    finally:
        server.shutdown()


def test_embed_result_is_only_the_answer_and_short(base_url, probe):
    p = probe(viewport={"width": 800, "height": 900})
    p.page.goto(base_url + "?view=recipe&recipe=X-FIT&model=Qwen%2FQwen2.5-7B&embed=result")
    p.page.wait_for_selector('[data-testid="engine-status"][data-state="ready"]', state="attached", timeout=60000)
    p.settled()
    expect(p.page.locator('[data-testid="verdict"]')).to_be_visible()
    expect(p.page.locator('[data-testid="fit-chart"]')).to_be_visible()
    expect(p.page.locator('[data-testid="figures"]')).to_be_visible()
    for hidden in ("nav", "form.inputs", ".export-bar", ".chain", "header.top"):
        expect(p.page.locator(hidden)).to_be_hidden()
    assert p.page.evaluate("document.documentElement.scrollHeight") < 1000
    assert p.page.evaluate("document.documentElement.getBoundingClientRect().height") < 1000
