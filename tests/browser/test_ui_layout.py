"""Issue 13, layout: the scenario first and the model details folded (groups from the engine's
metadata), the verdict in view while the last field is focused (1280 and 390 px), wide tables as
stacked cards on phones with numbers never broken, a title per view, captions on result tables."""
import json
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
XFIT = "?view=recipe&recipe=X-FIT&model=Qwen%2FQwen2.5-7B"


def in_viewport(page, locator):
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["width"] > 0


def test_scenario_first_and_model_details_folded_by_engine_groups(base_url, dist, probe):
    meta = json.loads((dist / "data" / "metadata.json").read_text())
    recipe = next(r for r in meta["recipes"] if r["id"] == "X-FIT")
    p = probe()
    p.page.goto(base_url + XFIT)
    p.page.wait_for_selector('[data-testid="verdict"]')
    groups = p.page.locator("form.inputs .form > fieldset, form.inputs .form > details")
    assert groups.first.locator("legend").inner_text() == "Scenario"
    fold = p.page.locator('[data-testid="group-model"]')
    assert fold.get_attribute("open") is None  # a preset filled them: folded
    for param in recipe["params"]:
        inside = fold.locator(f"[name={param['name']}]").count() == 1
        assert inside == (param["group"] == "model"), param["name"]
    # the first tab stops after the pickers are the scenario (gpu, GPUs, context, users …)
    names = p.page.locator("form.inputs .form [name]").evaluate_all("els => els.map(e => e.name)")
    scenario = [q["name"] for q in recipe["params"] if q["group"] == "scenario"]
    assert names[:len(scenario)] == scenario
    # custom inputs: nothing filled them, so they are open
    p.page.goto(base_url + "?view=recipe&recipe=X-FIT&model=")
    assert p.page.locator('[data-testid="group-model"]').get_attribute("open") is not None


@pytest.mark.parametrize("width", [1280, 390])
def test_verdict_in_view_while_the_last_field_is_focused(base_url, probe, width):
    p = probe(viewport={"width": width, "height": 800 if width > 600 else 740})
    p.page.goto(base_url + XFIT)
    p.ready()
    p.settled()
    p.page.click("summary:has-text('Model details')")
    last = p.page.locator("form.inputs .form input[type=text]").last
    last.focus()
    last.scroll_into_view_if_needed()
    p.page.locator("form.inputs .form input[name=context]").fill("65536")
    last.focus()
    last.scroll_into_view_if_needed()
    p.page.wait_for_selector('[data-testid="result"][data-pending="false"]')
    assert in_viewport(p.page, last)
    verdict = p.page.locator('[data-testid="verdict"]').first
    if width > 820:
        assert in_viewport(p.page, verdict)
    else:
        bar = p.page.locator('[data-testid="verdict-bar"]')
        expect(bar).to_contain_text(verdict.inner_text())
        assert in_viewport(p.page, bar)
        assert bar.get_attribute("data-level") == verdict.get_attribute("data-level")


def test_every_view_has_its_own_title(base_url, probe):
    p = probe()
    p.page.goto(base_url + XFIT)
    expect(p.page).to_have_title(re.compile(r"^Recipe · X-FIT .* · Qwen2\.5-7B — TAF Browser$"))
    p.ready()
    titles = {}
    for label in ("Profile", "Compare", "Leaderboard", "Diagnostics", "Glossary"):
        p.page.click(f'nav a:text-is("{label}")')
        expect(p.page).to_have_title(re.compile(rf"^{label}"))
        titles[label] = p.page.title()
    assert "Qwen2.5-7B" in titles["Profile"] and re.search(r"Compare · X-\S+ ", titles["Compare"])
    assert len(set(titles.values())) == len(titles)


def test_result_tables_have_captions(base_url, probe):
    p = probe()
    for view in ("compare", "leaderboard"):
        p.page.goto(base_url + f"?view={view}")
        p.settled()
        table = p.page.locator("main table").first
        assert table.locator("caption").inner_text().strip()
    p.page.goto(base_url + "?view=recipe&recipe=X-5&model=Qwen%2FQwen2.5-7B")
    p.settled()
    assert p.page.locator(".chain table caption").first.text_content().startswith("Step ")


@pytest.mark.parametrize("view", ["?view=recipe&recipe=X-5&model=Qwen%2FQwen2.5-7B", "?view=leaderboard", "?view=compare",
                                  "?view=accuracy"])
def test_tables_stack_on_a_phone_and_never_break_a_number(base_url, probe, view):
    p = probe(viewport={"width": 390, "height": 800})
    p.page.goto(base_url + view)
    p.settled()
    if "recipe" in view:
        p.page.locator('[data-testid="chain-step"]:has(table) summary').first.click()
    table = p.page.locator("main table.stack:visible").first
    expect(table).to_be_visible()
    assert table.locator("thead").bounding_box()["height"] <= 1  # the header row is hidden; each cell names its column
    cells = table.locator("td[data-label]")
    assert cells.count() > 0
    # every number sits on one line, and nothing is wider than the phone
    broken = table.evaluate("""t => [...t.querySelectorAll('td.num')].filter(td => {
        const r = document.createRange(); r.selectNodeContents(td);
        const lines = new Set([...r.getClientRects()].map(b => Math.round(b.top)));
        return lines.size > 1 && !td.querySelector('details'); }).map(td => td.textContent)""")
    assert broken == []
    assert p.page.evaluate("document.documentElement.scrollWidth") <= 390


def _charts(page):
    return page.locator("figure.fit-chart, figure.line-chart").evaluate_all("""figs => figs.map(f => {
      const svg = f.querySelector('svg'), style = getComputedStyle(f);
      const room = f.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return { kind: f.className, chart: f.dataset.chart || 'fit', room, width: Number(svg.getAttribute('width')),
               label: svg.getAttribute('aria-label'), title: f.querySelector('.chart-title')?.textContent || '' };
    })""")


def test_charts_take_the_room_they_have_and_follow_a_resize(base_url, probe):
    """Charts are drawn without asking for a layout while the page is built (the width the last chart
    had, or a guess from the window), then fitted once laid out (components/axes.js fittedChart): each
    chart's drawing is as wide as its room (at most 680 px, at least 260) — at 390 px, at 1280 px and
    after the window is resized — and each figure keeps its own drawing."""
    p = probe(viewport={"width": 390, "height": 844})
    p.page.goto(base_url + XFIT + "&concurrent_users=4")
    # not prerendered: the engine starts first (20+ s on a loaded machine)
    p.page.wait_for_selector('[data-testid="result"][data-pending="false"] figure.line-chart', timeout=60000)
    for size in ({"width": 390, "height": 844}, {"width": 1280, "height": 900}, {"width": 900, "height": 900}):
        p.page.set_viewport_size(size)
        # the observer redraws on the next frame after the layout; a loaded machine can take longer than
        # any fixed wait: wait until every chart's drawing is as wide as its room now (checked below)
        p.page.wait_for_function("""() => { const figs = document.querySelectorAll('figure.fit-chart, figure.line-chart');
            return figs.length === 3 && [...figs].every((f) => { const style = getComputedStyle(f);
              const room = f.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
              return Number(f.querySelector('svg').getAttribute('width')) === Math.max(260, Math.min(680, Math.trunc(room))); }); }""")
        charts = _charts(p.page)
        assert len(charts) == 3, charts
        for c in charts:
            assert c["width"] == max(260, min(680, int(c["room"]))), (size, c)
            if c["kind"] == "line-chart":
                assert c["title"].startswith(c["label"].split(":")[0]), c  # its own drawing, not another chart's
            else:
                assert c["label"].startswith("Memory versus context"), c
    assert p.errors == []
