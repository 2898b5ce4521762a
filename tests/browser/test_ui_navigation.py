"""Issue 13, navigation and state: Back and Forward move between views inside the app, the
scenario follows the person across views, the leaderboard sort and an imported config's name and
family travel with the link."""
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
CONFIGS = Path(__file__).resolve().parents[1] / "fixtures" / "configs"


def current_view(page):
    return page.locator('nav a[aria-current="page"]')


def test_back_and_forward_stay_in_the_app(base_url, probe):
    p = probe()
    p.page.goto("about:blank")
    p.page.goto(base_url + "?view=recipe&recipe=X-2&model=Qwen%2FQwen2.5-7B")
    p.ready()
    for label in ("Profile", "Leaderboard", "Glossary"):
        p.page.click(f'nav a:text-is("{label}")')
        expect(current_view(p.page)).to_have_text(label)
    for label in ("Leaderboard", "Profile", "Recipe"):
        p.page.go_back()
        expect(current_view(p.page)).to_have_text(label)
        assert p.page.url.startswith(base_url)
    expect(p.page.locator('[data-testid="verdict"]').first).to_be_visible()
    p.page.go_forward()
    expect(current_view(p.page)).to_have_text("Profile")
    # another recipe is another entry too
    p.page.go_back()
    p.page.select_option("#recipe-select", "X-19")
    expect(p.page.locator("h2")).to_contain_text("X-19")
    p.page.go_back()
    expect(p.page.locator("h2")).to_contain_text("X-2")
    assert p.foreign == [] and p.errors == []


def test_an_edit_made_just_before_leaving_is_in_the_entry_left(base_url, probe):
    """The link of a typed edit is written after its result is drawn (state.js keeps replaceState
    off the path to the verdict); leaving the view at once must still keep the edit in the entry
    left behind, and the link must follow each result."""
    p = probe()
    p.page.goto(base_url + "?view=recipe&recipe=X-2&model=Qwen%2FQwen2.5-7B")
    p.ready()
    p.page.fill("input[name=T_eval]", "12k")
    p.live()
    expect(p.page).to_have_url(re.compile("T_eval=12288"))
    # type and leave in one task: no result is drawn before the view changes
    p.page.evaluate("""() => {
      const input = document.querySelector("input[name=T_eval]");
      input.value = "20000";
      input.dispatchEvent(new Event("input", { bubbles: true }));
      [...document.querySelectorAll("nav a")].find((a) => a.textContent === "Glossary").click();
    }""")
    expect(current_view(p.page)).to_have_text("Glossary")
    p.page.go_back()
    expect(current_view(p.page)).to_have_text("Recipe")
    expect(p.page).to_have_url(re.compile("T_eval=20000"))
    assert p.page.input_value("input[name=T_eval]") == "20000"
    assert p.foreign == [] and p.errors == []


def test_scenario_inputs_persist_across_views(base_url, probe):
    p = probe()
    p.page.goto(base_url + "?view=recipe&recipe=X-FIT&model=Qwen%2FQwen2.5-7B")
    p.ready()
    p.page.select_option("select[name=gpu]", "A100 80GB" if p.page.locator("select[name=gpu] option[value='A100 80GB']").count() else 1)
    gpu = p.page.input_value("select[name=gpu]")
    p.page.fill("input[name=n_gpus]", "2")
    p.page.fill("input[name=context]", "32k")
    p.page.fill("input[name=concurrent_users]", "4")
    p.live()
    expect(p.page).to_have_url(re.compile("context=32768"))
    p.page.click('nav a:text-is("Profile")')
    expect(current_view(p.page)).to_have_text("Profile")
    assert p.page.input_value("select[name=gpu]") == gpu and p.page.input_value("input[name=n_gpus]") == "2"
    p.page.click('nav a:text-is("Compare")')
    p.page.click('nav a:text-is("Recipe")')
    expect(current_view(p.page)).to_have_text("Recipe")
    assert p.page.input_value("select[name=gpu]") == gpu
    assert p.page.input_value("input[name=n_gpus]") == "2"
    assert p.page.input_value("input[name=context]") == "32768"
    assert p.page.input_value("input[name=concurrent_users]") == "4"
    assert "Qwen2.5-7B" in p.page.title()


def test_leaderboard_sort_is_in_the_link(base_url, probe):
    p = probe()
    p.page.goto(base_url + "?view=leaderboard")
    p.settled()
    p.page.click('th button.sort:has-text("RSRC_t")')
    expect(p.page).to_have_url(re.compile(r"sort=-rsrc_t"))
    first = p.page.locator('[data-testid="leaderboard-row"]').first.inner_text()
    p.page.goto(p.page.url)
    p.settled()
    expect(p.page.locator('th[aria-sort="descending"]')).to_contain_text("RSRC_t")
    assert p.page.locator('[data-testid="leaderboard-row"]').first.inner_text() == first
    p.page.click('th button.sort:has-text("RSRC_t")')
    expect(p.page).to_have_url(re.compile(r"sort=rsrc_t"))


def test_a_link_to_an_imported_config_carries_its_name_and_family(base_url, probe):
    config = json.loads((CONFIGS / "qwen3-8b.json").read_text())
    config["_name_or_path"] = "Qwen/Qwen3-8B"
    p = probe()
    p.page.goto(base_url + "?view=recipe&recipe=X-FIT&model=Qwen%2FQwen2.5-7B")
    p.ready()
    p.page.fill("input[name=context]", "16k")
    p.page.click("summary:text-is('Import a config.json')")
    p.page.fill("#config-text", json.dumps(config))
    p.page.click("button:text-is('Import')")
    expect(p.page.locator('[data-testid="config-label"]')).to_have_text("Imported config: Qwen/Qwen3-8B (qwen3)")
    expect(p.page).to_have_url(re.compile(r"config_name=Qwen%2FQwen3-8B.*config_family=qwen3"))
    assert p.page.input_value("input[name=context]") == "16384"  # the scenario survives the import
    link = p.page.url
    q = probe()
    q.page.goto(link)
    expect(q.page.locator('[data-testid="config-label"]')).to_have_text("Imported config: Qwen/Qwen3-8B (qwen3)")
    expect(q.page).to_have_title(re.compile(r"Qwen/Qwen3-8B"))
    q.ready()
    q.page.click('nav a:text-is("Profile")')
    expect(q.page.locator('[data-testid="config-label"]')).to_contain_text("Qwen/Qwen3-8B")
