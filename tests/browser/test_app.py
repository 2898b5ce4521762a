"""The app as a person meets it: real numbers in every view, URL state, bad input, hostile text,
iframes, sub-paths, a blocked engine, and prerendered results equal to live ones."""
import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlparse

from playwright.sync_api import expect

import pytest

pytestmark = pytest.mark.browser
HOSTILE = '<img src=x onerror="window.__pwned=1">'
VIEWS = ["recipe", "profile", "compare", "leaderboard", "diagnostics"]


def no_pwn(page):
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img").count() == 0


def test_every_view_renders_real_numbers_without_errors_or_foreign_requests(base_url, probe):
    p = probe()
    p.page.goto(base_url)
    p.ready()
    for view in VIEWS:
        p.page.click(f'nav a:text-is("{view.capitalize()}")')
        p.settled()
        text = p.page.locator("main").inner_text()
        assert re.search(r"\d\.\d", text), view
        if view == "leaderboard":
            assert p.page.locator('[data-testid="leaderboard-row"]').count() == 25
        else:
            assert p.page.locator('[data-testid="verdict"]').first.inner_text().strip()
            assert p.page.locator('[data-testid="traffic-light"]').count() >= 1
    assert p.foreign == [] and p.errors == []


def test_first_verdict_is_prerendered_then_live_on_edit(base_url, probe):
    p = probe()
    p.page.goto(base_url + "?view=recipe&recipe=X-2&model=meta-llama/Meta-Llama-3-8B")
    p.page.wait_for_selector('[data-testid="verdict"]')
    steps = p.page.locator('[data-testid="chain-step"]')
    assert steps.count() == 8  # supported context, 5 γ steps, KV, the framework's prediction
    assert "Supported context" in steps.first.inner_text() and "8,192" in steps.first.inner_text()
    assert "Framework prediction" in steps.last.inner_text()
    assert p.page.locator('[data-testid="verdict"]').inner_text() == "UNVERIFIED"
    p.ready()
    p.page.fill("input[name=T_eval]", "1000000")  # 122× the 8,192 tokens the model supports
    p.live()
    assert p.page.locator('[data-testid="verdict"]').inner_text() == "BEYOND SUPPORTED CONTEXT"
    # the framework itself predicts NO there (γ < 0), so the warning is a Stop
    assert p.page.locator('[data-testid="verdict"]').get_attribute("data-level") == "critical"
    assert p.page.locator('[data-testid="traffic-light"]').first.get_attribute("data-level") == "critical"


def test_url_state_round_trips(base_url, probe):
    p = probe()
    url = base_url + "?view=recipe&recipe=X-19&model=Qwen%2FQwen2.5-7B&T_eval=65536&f=0.8"
    p.page.goto(url)
    p.ready()
    p.settled()
    assert p.page.input_value("input[name=T_eval]") == "65536"
    assert p.page.input_value("input[name=f]") == "0.8"
    assert p.page.input_value("select#recipe-select") == "X-19"
    p.page.fill("input[name=T_eval]", "32768")
    p.settled()
    # the link is written just after the result is drawn (state.js), not with it: wait for it
    expect(p.page).to_have_url(re.compile(r"(?=.*T_eval=32768)(?=.*model=Qwen%2FQwen2\.5-7B)"))
    saved = p.page.url
    p.page.goto(saved)
    p.settled()
    assert p.page.input_value("input[name=T_eval]") == "32768"
    for view, extra in [("compare", "&recipe=X-5&models=EleutherAI%2Fpythia-1b,Qwen%2FQwen2.5-7B&T_eval=9000"),
                        ("diagnostics", "&gamma=0.9&theta=10000"), ("profile", "&model=google%2Fgemma-2-9b-it&T_eval=4096"),
                        ("leaderboard", "&ALPHA=0.6&mode=capped")]:
        p.page.goto(base_url + f"?view={view}{extra}")
        p.settled()
        wanted = dict(parse_qsl(extra.strip("&")))
        got = dict(parse_qsl(urlparse(p.page.url).query))
        assert {k: got.get(k) for k in wanted} == wanted, view


BAD_VALUES = ["", "0", "-1", "abc", "1e400", "NaN"]
NEVER_VALID = {"abc", "1e400", "NaN"}


def test_every_recipe_field_handles_bad_values(base_url, probe):
    p = probe()
    p.page.goto(base_url)
    p.ready()
    meta = p.page.evaluate("fetch('data/metadata.json').then(r => r.json())")
    for recipe in meta["recipes"]:
        p.page.goto(base_url + f"?view=recipe&recipe={recipe['id']}&model=meta-llama%2FMeta-Llama-3-8B"
                    + ("&gamma_obs=0.8" if recipe["id"] == "X-22" else ""))
        p.ready()
        p.settled()
        for fold in p.page.locator("details.fold:not([open]) > summary").all():
            fold.click()  # the model details a preset filled are folded; a person opens them to edit
        for param in recipe["params"]:
            if param["type"] not in ("number", "integer"):
                continue
            field = p.page.locator(f"input[name={param['name']}]")
            original = field.input_value()
            for value in BAD_VALUES:
                field.fill(value)
                p.settled()
                errors = p.page.locator('[data-testid="field-error"]:visible')
                verdict = p.page.locator('[data-testid="verdict"]')
                if errors.count():
                    assert verdict.count() == 0 or verdict.get_attribute("data-stale") == "true", (recipe["id"], param["name"], value)
                    # what a person sees: one message, under the field just typed into, naming it
                    own = p.page.locator(f'[id="{field.get_attribute("id")}-error"]')
                    where = (recipe["id"], param["name"], value, errors.first.inner_text())
                    assert errors.count() == 1 and own.is_visible(), where
                    assert param["name"] in own.inner_text() and field.get_attribute("aria-invalid") == "true", where
                else:
                    assert value not in NEVER_VALID, (recipe["id"], param["name"], value)
                    assert verdict.get_attribute("data-stale") == "false", (recipe["id"], param["name"], value)
                assert "Traceback" not in p.page.locator("main").inner_text()
            field.fill(original)
            p.settled()
    assert p.errors == [] and p.foreign == []


def test_hostile_url_parameters_are_text(base_url, probe):
    p = probe()
    p.page.goto(base_url + "?view=recipe&recipe=X-2&model=" + quote(HOSTILE) + "&T_eval=" + quote(HOSTILE)
                + "&" + quote(HOSTILE) + "=1")
    p.ready()
    p.settled()
    no_pwn(p.page)
    assert HOSTILE in p.page.locator("main").inner_text()  # shown as text in an error message
    p.page.goto(base_url + "?view=" + quote(HOSTILE) + "&recipe=" + quote(HOSTILE))
    p.settled()
    no_pwn(p.page)


def test_uploaded_csv_with_hostile_names_is_text(base_url, probe, tmp_path):
    p = probe()
    p.page.goto(base_url + "?view=leaderboard")
    p.ready()
    p.settled()
    import csv
    path = tmp_path / "evil.csv"
    with open(path, "w", newline="") as handle:
        csv.writer(handle).writerows([
            ["Model", "Architecture", "Parameters (B)", "Layers", "Training FLOPs", "MMLU (5-shot)", "Energy/pFLOP", "Year"],
            [HOSTILE, "Dense", 7, 32, 150.0, 46.9, 45.0, 2023], ["=cmd()", "MoE", 47, 32, 500.0, 70, 45, 2024]])
    p.page.set_input_files("#rsrc-file", str(path))
    expect(p.page.locator('[data-testid="leaderboard-row"]')).to_have_count(2)
    no_pwn(p.page)
    assert HOSTILE in p.page.locator("table.leaderboard").inner_text()
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\x00\x01binary")
    p.page.set_input_files("#rsrc-file", str(binary))
    p.page.wait_for_selector('[data-testid="field-error"]:visible')
    assert "binary" in p.page.locator('[data-testid="field-error"]:visible').inner_text()
    assert p.foreign == []


def test_page_works_in_an_iframe_and_posts_its_height(base_url, probe, tmp_path_factory):
    from conftest import serve
    host_dir = tmp_path_factory.mktemp("embedhost")
    (host_dir / "index.html").write_text(
        "<!doctype html><title>host</title><script>window.heights=[];"
        "addEventListener('message',e=>{if(e.data&&e.data.type==='taf:resize')heights.push(e.data.height)});</script>"
        f'<iframe id="f" src="{base_url}?view=recipe&recipe=X-5&embed=1" style="width:600px;height:400px"></iframe>')
    server, host = serve(host_dir)  # a different origin (another port) than the app
    try:
        p = probe()
        p.page.goto(host + "/")
        p.page.wait_for_function("window.heights.length > 0", timeout=30000)
        frame = p.page.frame_locator("#f")
        frame.locator('[data-testid="verdict"]').wait_for()
        assert max(p.page.evaluate("window.heights")) > 200
        assert frame.locator("html.embed").count() == 1
        assert p.foreign == [] and p.errors == []
    finally:
        server.shutdown()


def test_dist_works_under_a_sub_path(subpath_url, probe):
    p = probe()
    p.page.goto(subpath_url + "?view=profile&model=Qwen%2FQwen2.5-7B")
    p.ready()
    p.page.fill("input[name=T_eval]", "65536")
    p.live()
    assert p.page.locator('[data-testid="verdict"]').inner_text()
    assert p.foreign == [] and p.errors == []


def test_blocked_wasm_fails_with_retry_and_keeps_prerendered(base_url, probe):
    p = probe(block=[".wasm"])
    p.page.goto(base_url + "?engine_timeout=8000")
    p.page.wait_for_selector('[data-testid="verdict"]')
    p.page.wait_for_selector('[data-testid="engine-status"][data-state="failed"]', timeout=60000)
    assert p.page.locator('[data-testid="engine-status"] button:text-is("Retry")').count() == 1
    assert p.page.locator('[data-testid="verdict"]').inner_text() == "UNVERIFIED"
    p.page.fill("input[name=T_eval]", "70000")  # needs the engine: a clear note, no endless spinner
    p.page.wait_for_selector(".engine-note")
    assert p.page.locator('[data-testid="verdict"]').get_attribute("data-stale") == "true"


def _as_doubles(value):
    """A result as JavaScript holds it: a whole number past 2^53 crosses the page as an int whose digits
    beyond the double's precision are zeros (8.055398785631925e20 → 805539878563192500000); both are the
    same double."""
    if isinstance(value, dict):
        return {k: _as_doubles(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_doubles(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2 ** 53:
        return float(value)
    return value


def test_prerendered_equals_live(base_url, probe, dist):
    prerendered = json.loads((dist / "data" / "prerendered.json").read_text())
    keys = sorted(prerendered)[::7]  # a spread-out sample of every kind of call
    p = probe()
    p.page.goto(base_url)
    p.ready()
    for key in keys:
        request = json.loads(key)
        live = p.page.evaluate("async (r) => { const x = await window.__taf.engine.call(r.call, r.args, {allowPrerendered: false}); delete x.source; return x; }", request)
        assert _as_doubles(live) == _as_doubles(prerendered[key]), key


def test_keyboard_only_and_no_overflow_at_390px(base_url, probe):
    p = probe(viewport={"width": 390, "height": 844})
    for view in VIEWS:
        p.page.goto(base_url + f"?view={view}")
        p.settled(timeout=60000)
        overflow = p.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (view, overflow)
    p.page.goto(base_url)
    p.ready()
    for _ in range(4):
        p.page.keyboard.press("Tab")
    focused = p.page.evaluate("document.activeElement.tagName")
    assert focused in ("A", "SELECT", "INPUT", "BUTTON")


def test_exports_and_overrides_control(base_url, probe):
    p = probe()
    p.page.goto(base_url + "?view=recipe&recipe=X-19&model=Qwen%2FQwen2.5-7B")
    p.ready()
    p.settled()
    with p.page.expect_download() as download:
        p.page.click("button:text-is('Export JSON')")
    exported = json.loads(open(download.value.path()).read())
    assert exported["recipe_id"] == "X-19" and exported["chain"]
    with p.page.expect_download() as download:
        p.page.click("button:text-is('Export Markdown')")
    assert open(download.value.path()).read().startswith("### X-19")
    p.page.goto(base_url + "?view=leaderboard")
    p.ready()
    p.settled()
    p.page.fill("#rsrc-ACTIVE_OVERRIDES", "GPT-4o=abc")
    p.settled()
    assert "ACTIVE_OVERRIDES" in p.page.locator('[data-testid="field-error"]:visible').inner_text()
    p.page.fill("#rsrc-ACTIVE_OVERRIDES", "GPT-4o=100")
    p.settled()
    gpt4o = p.page.locator('[data-testid="leaderboard-row"]', has_text="GPT-4o")
    assert gpt4o.count() == 1
    expect(p.page).to_have_url(re.compile(re.escape("ACTIVE_OVERRIDES=GPT-4o%3D100")))
    gpt4o.locator("summary", has_text="chain").click()  # the engine's steps for this row, inputs first
    chain = gpt4o.locator('[data-testid="rsrc-chain"]').inner_text()
    assert "1,760 B params" in chain and "active = 100 B (from known override)" in chain
    assert re.search(r"RSRC_t = ln\(active\) × ARCH_SCORE ÷ E\^k × A = \d", chain)
    with p.page.expect_download() as download:
        p.page.click("button:text-is('Download CSV')")
    assert open(download.value.path()).read().startswith("rank,model,architecture,rsrc_t")
    assert p.errors == [] and p.foreign == []


def test_o_n_models_show_not_applicable_and_fit_chart_renders(base_url, probe):
    p = probe()
    for model in ("resnet-bk%2Fbase", "state-spaces%2Fmamba-2.8b"):
        p.page.goto(base_url + f"?view=profile&model={model}")
        p.settled(timeout=60000)
        note = p.page.locator('[data-testid="not-applicable"]')
        assert "no attention" in note.inner_text()
        assert "does not grow with context length" in p.page.locator("main").inner_text()
        assert p.page.locator("input[name=theta]").input_value() == ""
        p.page.goto(base_url + f"?view=recipe&recipe=X-2&model={model}")
        p.settled(timeout=60000)
        assert p.page.locator('[data-testid="verdict"]').inner_text() == "NOT APPLICABLE"
        assert p.page.locator('[data-testid="chain-step"][data-applicable="false"]').count() >= 4
    p.page.goto(base_url + "?view=recipe&recipe=X-FIT&model=meta-llama%2FMeta-Llama-3-8B&gpu=RTX%204090&context=65536")
    p.ready()
    p.settled()
    assert p.page.locator('[data-testid="verdict"]').inner_text() == "DOES NOT FIT"
    assert p.page.locator('[data-testid="fit-chart"] svg path').count() == 2
    p.page.select_option("select[name=kv_dtype]", "fp8")
    p.settled()  # memory now fits, but 65,536 tokens is 8× what the model supports: never a Go
    assert p.page.locator('[data-testid="verdict"]').inner_text() == "BEYOND SUPPORTED CONTEXT"
    assert p.page.locator('[data-figure="fits"]').inner_text() == "yes"
    assert p.errors == [] and p.foreign == []


CONFIGS = Path(__file__).resolve().parents[1] / "fixtures" / "configs"


def import_config(p, text, family):
    """Paste a config and import it; wait until the summary names *this* import's family (the
    previous import's summary and result stay on screen while the engine reads the new one), then
    for the result computed from it."""
    p.page.fill("#config-text", text)
    p.page.click("button:text-is('Import')")
    expect(p.page.locator('[data-testid="config-summary"]')).to_contain_text(f"Detected: {family} ", timeout=30000)
    p.settled()


def open_and_import_config(p, url, summary, config, family):
    """Open a view, open its config importer (by its summary text) and import a fixture config."""
    p.page.goto(url)
    p.ready()
    p.settled()
    p.page.click(f"summary:text-is('{summary}')")
    import_config(p, (CONFIGS / config).read_text(), family)


def test_pasting_a_config_fills_the_form_and_updates_the_profile(base_url, probe):
    configs = CONFIGS
    p = probe()
    open_and_import_config(p, base_url + "?view=profile&model=meta-llama%2FMeta-Llama-3-8B",
                           "Import a config.json", "qwen3-8b.json", "qwen3")
    assert "qwen3" in p.page.locator('[data-testid="config-summary"]').inner_text()
    assert p.page.input_value("input[name=n_layers]") == "36"
    assert p.page.input_value("input[name=theta]") == "1000000"
    assert "model=&" in p.page.url or p.page.url.endswith("model=")
    assert p.page.locator('[data-testid="result"]').get_attribute("data-source") == "live"
    # an MLA + MoE config: every field arrives as text and is validated by the engine
    import_config(p, (configs / "deepseek-v3.json").read_text(), "deepseek-v3")
    assert p.page.locator('[data-testid="error-card"]').count() == 0
    assert "70,272 bytes per token" in p.page.locator('[data-testid="config-summary"]').inner_text()
    # a Mamba config: the γ sections say why they do not apply
    import_config(p, (configs / "mamba-2.8b.json").read_text(), "mamba")
    assert "no attention" in p.page.locator('[data-testid="not-applicable"]').inner_text()
    expect(p.page).to_have_url(re.compile(r"config_family=mamba(&|$)"))  # written after the result is drawn
    reloaded = p.page.url
    p.page.goto(reloaded)
    p.settled(timeout=60000)
    assert p.page.locator('[data-testid="not-applicable"]').count() == 1
    p.page.click("summary:text-is('Import a config.json')")
    p.page.fill("#config-text", '{"model_type": "llama", "num_hidden_layers": "many"}')
    p.page.click("button:text-is('Import')")
    p.page.wait_for_selector('[data-testid="field-error"]:visible')
    assert "num_hidden_layers" in p.page.locator('[data-testid="field-error"]:visible').inner_text()
    no_pwn(p.page)
    assert p.errors == [] and p.foreign == []


def test_compare_takes_a_model_from_its_config_and_keeps_it_in_the_link(base_url, probe):
    p = probe()
    open_and_import_config(p, base_url + "?view=compare&recipe=X-FIT&models=meta-llama%2FMeta-Llama-3-8B,Qwen%2FQwen2.5-7B",
                           "Add a model from its config.json", "qwen3-8b.json", "qwen3")
    expect(p.page.locator(".compare-table thead th")).to_have_count(4)
    p.settled()
    head = p.page.locator(".compare-table thead").inner_text()
    assert "qwen3 (imported)" in head
    verdicts = p.page.locator('[data-testid="verdict"]')
    assert verdicts.count() == 3 and "ERROR" not in verdicts.nth(2).inner_text()
    expect(p.page).to_have_url(re.compile(r"(?=.*models=[^&]*custom%3A1)(?=.*custom%3A1\.n_layers=36)"))
    # the link reproduces the comparison; removing the imported model drops its fields
    p.page.goto(p.page.url)
    p.settled(timeout=60000)
    assert "qwen3 (imported)" in p.page.locator(".compare-table thead").inner_text()
    p.page.click("button[aria-label='Remove model 3']")
    p.settled()
    expect(p.page.locator(".compare-table thead th")).to_have_count(3)
    expect(p.page).not_to_have_url(re.compile("custom"))  # the link is rewritten after the result
    # a hostile label in a link is shown as text
    p.page.goto(base_url + "?view=compare&recipe=X-FIT&models=meta-llama%2FMeta-Llama-3-8B,custom:1"
                "&custom:1.label=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&custom:1.n_params=7e9")
    p.settled(timeout=60000)
    assert "<img src=x onerror=alert(1)>" in p.page.locator('[data-testid="custom-model"]').inner_text()
    no_pwn(p.page)
    assert p.errors == [] and p.foreign == []


LEADERBOARD_HEADER = "Model,Architecture,Parameters (B),Layers,Training FLOPs,MMLU (5-shot),Energy/pFLOP,Year"


def write_leaderboard_csv(path, count=None, *, name="m{i}", flops_every=None, max_bytes=None, extra_lines=()):
    """A generated leaderboard upload: `count` plausible rows (or as many as fit in `max_bytes`), then
    `extra_lines`; returns (rows, bytes)."""
    with open(path, "w") as handle:
        handle.write(LEADERBOARD_HEADER + "\n")
        size, i = len(LEADERBOARD_HEADER) + 1, 0
        while count is None or i < count:
            flops = 150 + (i % flops_every if flops_every else i)
            line = (f"{name.format(i=i)},{'MoE' if i % 3 else 'Dense'},{7 + i % 500},32,{flops},60,45,"
                    f"{2018 + i % 8}\n")
            if max_bytes is not None and size + len(line) > max_bytes:
                break
            handle.write(line)
            size, i = size + len(line), i + 1
        handle.writelines(line + "\n" for line in extra_lines)
    return i, size


def test_a_large_upload_is_drawn_a_page_at_a_time_and_edits_collapse(base_url, probe, tmp_path):
    p = probe()
    p.page.goto(base_url + "?view=leaderboard")
    p.ready()
    p.settled()
    path = tmp_path / "big.csv"
    write_leaderboard_csv(path, 3000)
    p.page.set_input_files("#rsrc-file", str(path))
    expect(p.page.locator('[data-testid="leaderboard-summary"]')).to_contain_text("3,000 rows in, 3,000 out — 3,000 scored")
    expect(p.page.locator('[data-testid="leaderboard-row"]')).to_have_count(200)
    assert "Showing 200 of 3,000 rows" in p.page.locator('[data-testid="more-rows"]').inner_text()
    p.page.click("[data-testid='more-rows'] button")
    expect(p.page.locator('[data-testid="leaderboard-row"]')).to_have_count(400)
    first = p.page.locator('[data-testid="leaderboard-row"]').first.inner_text()
    for text in ("0.6", "0.62", "0.65"):  # typed in quick succession: only the last one matters
        p.page.fill("#rsrc-ALPHA", text)
    p.settled()
    expect(p.page).to_have_url(re.compile(re.escape("ALPHA=0.65")))
    assert p.page.locator('[data-testid="result"] .stale').count() == 0
    assert p.page.locator('[data-testid="leaderboard-row"]').first.inner_text() != first  # re-scored
    too_big = tmp_path / "huge.csv"
    with open(too_big, "wb") as handle:  # sparse: larger than the limit without writing it
        handle.truncate(60_000_000)
    p.page.set_input_files("#rsrc-file", str(too_big))
    p.page.wait_for_selector('[data-testid="field-error"]:visible')
    assert "too large (60.0 MB; at most 50 MB)" in p.page.locator('[data-testid="field-error"]:visible').inner_text()
    assert p.errors == [] and p.foreign == []


def _form_fields(page):
    """name → {help, options} of every field the generated form shows."""
    return page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('form.inputs .form [name]'))
        .map((el) => [el.name, {help: document.getElementById(el.getAttribute('aria-describedby').split(' ')[0]).textContent,
                               options: el.tagName === 'SELECT' ? Array.from(el.options).map((o) => o.value) : null}]))""")


def test_every_form_is_built_from_engine_metadata(base_url, probe):
    """Each view's form has exactly the engine's inputs, with the engine's help and choices."""
    p = probe()
    p.page.goto(base_url)
    p.ready()
    meta = p.page.evaluate("fetch('data/metadata.json').then(r => r.json())")
    forms = [(f"?view=recipe&recipe={r['id']}", r["params"]) for r in meta["recipes"]]
    forms += [("?view=profile", meta["profile"]["params"]), ("?view=diagnostics", meta["diagnostics"]["params"])]
    rsrc = meta["rsrc"]
    forms += [("?view=leaderboard", rsrc["options"] + rsrc["params"] + [rsrc["overrides"]])]
    forms += [(f"?view=compare&recipe={r['id']}", [q for q in r["params"] if q["group"] != "model"])
              for r in meta["recipes"]]
    for query, params in forms:
        p.page.goto(base_url + query)
        p.settled()
        fields = _form_fields(p.page)
        assert set(fields) == {q["name"] for q in params}, query
        for q in params:
            assert fields[q["name"]]["help"].startswith(q["help"]), (query, q["name"])
            if q["type"] == "choice":
                assert fields[q["name"]]["options"] == q["choices"], (query, q["name"])
    assert p.errors == []


def test_an_old_spelling_in_the_url_fills_the_field_and_typing_replaces_it(base_url, probe):
    """X-5 names its context `context`; a link with the seed's T_eval still fills that field."""
    p = probe()
    p.page.goto(base_url + "?view=recipe&recipe=X-5&model=meta-llama%2FMeta-Llama-3-8B&T_eval=9000")
    p.ready()
    p.settled()
    assert p.page.input_value("input[name=context]") == "9000"
    step = p.page.locator('[data-testid="chain-step"]').nth(1).inner_text()
    assert "1.18 GB" in step  # 131,072 bytes per token × 9,000 tokens
    p.page.fill("input[name=context]", "12000")
    p.settled()
    expect(p.page).to_have_url(re.compile(r"^(?!.*T_eval)(?=.*context=12000)"))


def test_picking_a_preset_after_an_import_forgets_the_imported_architecture(base_url, probe):
    """Import Mistral (sliding window 4,096), then pick Llama-3-8B: X-5's KV at 32K is Llama's full
    cache (4.295 GB), not one capped by the imported window."""
    p = probe()
    open_and_import_config(p, base_url + "?view=recipe&recipe=X-5&model=meta-llama%2FMeta-Llama-3-8B&context=32768",
                           "Import a config.json", "mistral-7b-v0.1.json", "mistral")
    p.page.fill("input[name=context]", "32768")
    p.settled()
    kv = lambda: p.page.locator('[data-figure="kv_bytes"]').inner_text()  # noqa: E731
    assert kv() == "536.9 MB"  # Mistral's window caps the cache
    p.page.select_option("form.inputs select >> nth=1", "meta-llama/Meta-Llama-3-8B")
    p.settled()
    assert kv() == "4.295 GB", p.page.url
    # the link of the preset, without the imported architecture (written after the result is drawn)
    expect(p.page).to_have_url(re.compile(r"^(?!.*sliding_window)(?!.*attention)(?=.*model=meta-llama%2FMeta-Llama-3-8B)"))


def test_leaderboard_never_ranks_the_implausible_potato_and_offers_a_csv_template(base_url, probe):
    """Issue 12 item 4: the bundled leaderboard's #1 is a real row; the Potato row is listed with its
    score and its flags but no rank (ticking rank_implausible ranks it); the template downloads."""
    from taf import rsrc
    p = probe()
    p.page.goto(base_url + "?view=leaderboard")
    p.ready()
    p.settled()
    rows = p.page.locator('[data-testid="leaderboard-row"]')
    expect(rows).to_have_count(25)
    first_ranked = p.page.locator('[data-testid="leaderboard-row"][data-rank="1"]')
    assert first_ranked.count() == 1 and "Potato" not in first_ranked.inner_text()
    assert rows.first.get_attribute("data-rank") == "1"
    potato = rows.filter(has_text="Potato AI (Post-Fix)")
    expect(potato).to_be_visible()
    assert potato.get_attribute("data-rank") == "" and potato.get_attribute("data-implausible") == "true"
    assert potato.locator("td").first.inner_text().strip().endswith("—")
    flags = potato.locator('[data-testid="row-flags"]').inner_text()
    assert "Parameters (B): implausible" in flags and "1 M to 100 T" in flags
    assert "not ranked" in potato.inner_text() and re.search(r"14,?540", potato.inner_text())
    assert "implausible_not_ranked" in p.page.locator('[data-testid="leaderboard-caveats"] li').evaluate_all(
        "(items) => items.map((li) => li.dataset.code)")
    p.page.check("#rsrc-rank_implausible")  # asked for: the Potato row is ranked (and still flagged)
    p.settled()
    expect(p.page.locator('[data-testid="leaderboard-row"][data-rank="1"]')).to_contain_text("Potato AI (Post-Fix)")
    expect(p.page).to_have_url(re.compile(re.escape("rank_implausible=true")))
    p.page.uncheck("#rsrc-rank_implausible")
    p.settled()
    expect(p.page.locator('[data-testid="leaderboard-row"][data-rank="1"]')).not_to_contain_text("Potato")
    with p.page.expect_download() as download:
        p.page.click("button:text-is('Download CSV template')")
    assert download.value.suggested_filename.endswith(".csv")
    text = open(download.value.path(), encoding="utf-8").read()
    header = text.splitlines()[0]
    assert header == rsrc.rsrc_csv_template().splitlines()[0]
    assert header.startswith("Model [text],Architecture [Dense or MoE],Parameters [B],") and "Training FLOPs [PF]" in header
    assert len(text.strip().splitlines()) == 2  # the header and one example row
    assert p.errors == [] and p.foreign == []


def test_glossary_explains_the_jargon_the_chain_and_diagnostics_link_to(base_url, probe):
    """Issue 12 item 5: the glossary view, a jargon link from X-2's chain to its entry (and Back),
    diagnostics titles linked to their terms and every identity explained in one sentence."""
    p = probe()
    p.page.goto(base_url + "?view=glossary")
    expect(p.page.locator('[data-testid="glossary"]')).to_be_visible()
    terms = p.page.evaluate("fetch('data/metadata.json').then((r) => r.json())")["glossary"]["terms"]
    assert p.page.locator('[data-testid="glossary-term"]').count() == len(terms)
    gamma = next(t for t in terms if t["id"] == "gamma")
    expect(p.page.locator("h4#term-gamma")).to_be_visible()
    expect(p.page.locator("h4#term-gamma")).to_have_text(gamma["term"])
    expect(p.page.locator('[data-testid="glossary-term"][data-term="gamma"]')).to_contain_text(gamma["section"])
    p.page.goto(base_url + "?view=glossary#term-pdi")  # a deep link lands on its term
    expect(p.page.locator("#term-pdi")).to_be_in_viewport()

    p.page.goto(base_url + "?view=recipe&recipe=X-2&model=meta-llama%2FMeta-Llama-3-8B")
    link = p.page.locator('[data-testid="chain-step"] a.term-link[data-term="d-horizon"]').first
    expect(link).to_be_visible()
    link.click()
    expect(p.page.locator('[data-testid="glossary"]')).to_be_visible()
    expect(p.page).to_have_url(re.compile(r"\?view=glossary[^#]*#term-d-horizon$"))
    expect(p.page.locator("#term-d-horizon")).to_be_in_viewport()
    expect(p.page.locator('.term[data-current="true"]')).to_have_attribute("data-term", "d-horizon")
    p.page.go_back()  # Back returns to the recipe the link was in
    expect(p.page.locator('[data-testid="chain-step"]').first).to_be_visible()
    assert "recipe=X-2" in p.page.url

    p.page.goto(base_url + "?view=diagnostics")
    p.settled()
    expect(p.page.locator('section.diag[data-key="pdi"] h3 a.term-link')).to_have_attribute("href", "?view=glossary#term-pdi")
    refuted = p.page.locator('[data-testid="claim"][data-name="eta_2gamma_REFUTED"]')
    expect(refuted).to_contain_text("η = 2γ refuted")
    sentence = refuted.locator('[data-testid="claim-explanation"]').inner_text()
    assert "Paper 1" in sentence and "refuted" in sentence and "η = γ − 1" in sentence
    assert sentence.endswith(".") and not re.search(r"[.!?]\s+[A-Z]", sentence[:-1])  # one sentence
    assert p.page.locator('[data-testid="claim-explanation"]').count() == 12

    narrow = probe(viewport={"width": 390, "height": 844})
    narrow.page.goto(base_url + "?view=glossary#term-gamma")
    expect(narrow.page.locator("#term-gamma")).to_be_in_viewport()
    assert narrow.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert p.errors == [] and p.foreign == [] and narrow.errors == []


def test_a_large_upload_crosses_one_page_at_a_time_and_sorts_in_the_engine(base_url, probe, tmp_path):
    """Issue 15 item 2: an upload brings the summary and one page; "Show more" and sorting ask the
    engine (rsrc_rows); the CSV export holds every row."""
    p = probe()
    p.page.goto(base_url + "?view=leaderboard")
    p.ready()
    p.settled()
    path = tmp_path / "paged.csv"
    write_leaderboard_csv(path, 5000, name="m{i:05d}", extra_lines=(",,,,,,,",))
    p.page.set_input_files("#rsrc-file", str(path))
    summary = p.page.locator('[data-testid="leaderboard-summary"]')
    expect(summary).to_contain_text("5,000 rows in, 5,000 out")
    expect(summary).to_contain_text("1 blank record(s)")
    table_rows = p.page.locator('[data-testid="leaderboard-row"]')
    expect(table_rows).to_have_count(200)
    p.page.click("thead button:has-text('Model')")
    expect(table_rows.first).to_contain_text("m00000")
    p.page.click("thead button:has-text('Model')")
    expect(table_rows.first).to_contain_text("m04999")
    p.page.click("[data-testid='more-rows'] button")
    expect(table_rows).to_have_count(400)
    expect(table_rows.nth(399)).to_contain_text("m04600")
    with p.page.expect_download() as info:
        p.page.click("button:has-text('Download CSV')")
    assert len(Path(info.value.path()).read_text().splitlines()) == 5001
    assert p.errors == [] and p.foreign == []


def test_an_oversize_config_file_is_refused_before_it_is_read(base_url, probe, tmp_path):
    big = tmp_path / "config.json"
    big.write_text('{"model_type": "llama", "pad": "' + "x" * 1_100_000 + '"}')
    p = probe()
    p.page.goto(base_url + "?view=recipe&recipe=X-FIT&model=meta-llama%2FMeta-Llama-3-8B")
    p.ready()
    p.settled()
    p.page.click("summary:text-is('Import a config.json')")
    p.page.set_input_files("#config-file", str(big))
    error = p.page.locator('.config-import [data-testid="field-error"]')
    expect(error).to_contain_text("too large")
    assert p.page.input_value("#config-text") == ""  # never read into the page
    assert p.errors == []


def test_an_upload_of_the_stated_maximum_is_scored_in_the_page(base_url, probe, tmp_path):
    """Issue 15 item 4: the upload limit the engine states (max_file_bytes) is one the page handles:
    a generated file just under it is scored and its summary shown, every row counted."""
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "py"))
    from taf.rsrc import parse
    p = probe()
    p.page.goto(base_url + "?view=leaderboard")
    p.ready()
    p.settled()
    path = tmp_path / "max.csv"
    i, size = write_leaderboard_csv(path, name="model {i:07d} of the largest upload", flops_every=9000,
                                    max_bytes=parse.MAX_FILE_BYTES)
    import time
    t0 = time.perf_counter()
    p.page.set_input_files("#rsrc-file", str(path))
    expect(p.page.locator('[data-testid="leaderboard-summary"]')).to_contain_text(
        f"{i:,} rows in, {i:,} out", timeout=90_000)
    print(f"{size / 1e6:.1f} MB, {i:,} rows: summary shown after {time.perf_counter() - t0:.1f} s")
    expect(p.page.locator('[data-testid="leaderboard-row"]')).to_have_count(200)
    assert p.errors == [] and p.foreign == []


# ── the engine worker: deadlines, crashes, missing caches, nothing leaves the origin ───────────
STATUS = '[data-testid="engine-status"]'
HOOKS = "window.__TAF_TEST_HOOKS__ = true"  # test-only: lets a test run Python in the worker


def retry_until_ready(p):
    p.page.click(f'{STATUS} button:text-is("Retry")')
    p.ready()
    response = p.page.evaluate("() => window.__taf.engine.call('list_levels', {}, {allowPrerendered: false})")
    assert response["ok"] and response["source"] == "live"


def test_a_config_nested_3000_deep_ends_in_a_clear_error_never_a_hung_panel(base_url, probe):
    p = probe()
    p.context.add_init_script(HOOKS)
    p.page.goto(base_url + "?view=profile&model=meta-llama%2FMeta-Llama-3-8B")
    p.ready()
    p.settled()
    p.page.click("summary:text-is('Import a config.json')")
    deep = '{"a":' * 3000 + "1" + "}" * 3000  # 18 KB; the file was 21 KB with spaces
    p.page.fill("#config-text", deep)
    p.page.click("button:text-is('Import')")
    error = p.page.locator('[data-testid="field-error"]:visible')
    error.wait_for(timeout=60000)
    state = p.page.get_attribute(STATUS, "data-state")
    if state == "ready":  # the engine refused it as input: a clear input error
        assert "nested" in error.inner_text()
    else:  # Pyodide crashed: failed with Retry, never "Engine ready"
        assert state == "failed" and "crashed" in p.page.inner_text(STATUS)
        retry_until_ready(p)
    # a crash inside Pyodide (the same stack overflow, forced): failed, no later garbage, Retry works
    outcome = p.page.evaluate("""async () => {
        const e = window.__taf.engine;
        const crash = e.debugRunPython("import json; json.loads('[' * 100000 + ']' * 100000)", {sync: true}).then(() => 'answered', (x) => x.message);
        const after = e.call('list_levels', {}, {allowPrerendered: false}).then(() => 'answered', (x) => x.message);
        return [await crash, await after, e.state];
    }""")
    if outcome[0] != "answered":  # this Pyodide build overflows its stack there
        assert "crashed" in outcome[0] and outcome[1] == outcome[0] and outcome[2] == "failed", outcome
        expect(p.page.locator(STATUS)).to_have_attribute("data-state", "failed")
        assert p.page.locator(f'{STATUS} button:text-is("Retry")').count() == 1
        retry_until_ready(p)
    p.page.fill("#config-text", (CONFIGS / "qwen3-8b.json").read_text())
    p.page.click("button:text-is('Import')")
    p.page.wait_for_selector('[data-testid="config-summary"]')
    assert p.foreign == []


def test_a_hung_or_garbled_engine_becomes_failed_with_a_working_retry(base_url, probe):
    p = probe()
    p.context.add_init_script(HOOKS)
    p.page.goto(base_url + "?view=profile&model=meta-llama%2FMeta-Llama-3-8B")
    p.ready()
    p.settled()
    # a call that never returns: an error after its deadline, the queued call rejected too
    outcome = p.page.evaluate("""async () => {
        const e = window.__taf.engine;
        const hung = e.debugRunPython("while True: pass", {deadlineMs: 1500, sync: true}).then(() => 'answered', (x) => x.message);
        const queued = e.call('list_levels', {}, {allowPrerendered: false}).then(() => 'answered', (x) => x.message);
        return [await hung, await queued, e.state];
    }""")
    assert outcome == ["the engine did not answer within 2 s"] * 2 + ["failed"], outcome
    expect(p.page.locator(STATUS)).to_contain_text("Engine failed: the engine did not answer within 2 s")
    retry_until_ready(p)
    p.page.fill("input[name=T_eval]", "4096")
    p.live()
    # a reply that is not JSON: failed, not passed on as a result
    outcome = p.page.evaluate("""async () => {
        const e = window.__taf.engine;
        const call = e.call('list_levels', {}, {allowPrerendered: false}).then(() => 'answered', (x) => x.message);
        e.onMessage({ type: 'result', id: e.inflight.id, text: '{"ok": tru' });
        return [await call, e.state];
    }""")
    assert outcome == ["the engine answered with something that is not valid JSON", "failed"]
    retry_until_ready(p)
    # the worker's error and messageerror events
    for event in ("new ErrorEvent('error', {message: 'boom'})", "new MessageEvent('messageerror')"):
        p.page.evaluate(f"() => window.__taf.engine.worker.dispatchEvent({event})")  # as the browser would
        expect(p.page.locator(STATUS)).to_have_attribute("data-state", "failed")
        retry_until_ready(p)
    assert p.foreign == []


def test_the_start_up_timeout_from_the_url_is_clamped_and_retry_works_after_a_timeout(base_url, probe):
    p = probe()
    # the last page is the one whose engine must become ready below: the longest start-up timeout
    # (under load Pyodide's start alone can take 20+ s, more than an 8 s limit)
    for text, wanted in [("Infinity", 30000), ("-1", 30000), ("abc", 30000), ("", 30000), ("1e400", 30000),
                         ("1", 5000), ("8000", 8000), ("99999999", 300000)]:
        p.page.goto(base_url + f"?view=diagnostics&engine_timeout={quote(text)}")
        p.page.wait_for_selector('[data-testid="verdict"]')
        assert p.page.evaluate("window.__taf.engine.timeoutMs") == wanted, text
        assert "engine_timeout" not in p.page.locator("body").inner_text()
    p.ready()
    held = []  # the runtime's wasm never arrives: a real start-up timeout
    p.page.route("**/*.wasm", lambda route: held.append(route))
    p.page.goto(base_url + "?view=diagnostics&engine_timeout=6000")
    p.page.wait_for_selector(f'{STATUS}[data-state="failed"]', timeout=60000)
    assert "did not start within 6 s" in p.page.inner_text(STATUS)
    p.page.unroute("**/*.wasm")
    # Retry starts a new worker under the same limit; on a loaded machine a real start takes longer
    # than 6 s, so give the retried start the largest limit (what a person on a slow machine would set)
    p.page.evaluate("() => { window.__taf.engine.timeoutMs = 300000; }")
    retry_until_ready(p)
    p.page.fill("input[name=gamma]", "0.8")
    p.live()


def test_missing_or_invalid_cache_files_degrade_to_live_results(base_url, probe):
    p = probe(block=["prerendered"])  # both files 404 (aborted)
    p.page.goto(base_url + "?view=recipe&recipe=X-2&model=meta-llama/Meta-Llama-3-8B")
    p.live(timeout=60000)
    assert p.page.locator('[data-testid="verdict"]').inner_text() == "UNVERIFIED"
    assert p.page.get_attribute(STATUS, "data-state") == "ready"
    assert p.page.locator(".error-card").count() == 0
    q = probe()
    q.page.route("**/data/prerendered-first.json", lambda r: r.fulfill(status=200, content_type="application/json", body='{"truncated'))
    q.page.route("**/data/prerendered.json", lambda r: r.fulfill(status=200, content_type="application/json", body='["not", "a", "table"]'))
    q.page.goto(base_url + "?view=profile&model=Qwen%2FQwen2.5-7B")
    q.live(timeout=60000)
    assert q.page.locator('[data-testid="verdict"]').inner_text()
    assert q.page.locator(".error-card").count() == 0
    assert p.foreign == [] and q.foreign == []


ESCAPES = r'''
import asyncio, inspect, json, sys
import js, pyodide_js
out = {}

async def attempt(name, action):
    try:
        result = action()
        if inspect.isawaitable(result) or hasattr(result, "then"):
            await result
        out[name] = "returned"
    except BaseException as error:
        out[name] = "blocked: " + type(error).__name__

def urllib_get():
    import urllib.request
    return urllib.request.urlopen("http://example.invalid/urllib", timeout=2)

def socket_connect():
    import socket
    return socket.create_connection(("example.invalid", 80), timeout=2)

def pyfetch():
    import pyodide.http
    return pyodide.http.pyfetch("http://example.invalid/pyfetch")

def open_url():
    import pyodide.http
    return pyodide.http.open_url("http://example.invalid/open_url")

def run_js():
    import pyodide.code
    return pyodide.code.run_js("fetch('http://example.invalid/run_js')")

def from_js_import_fetch():
    from js import fetch
    return fetch("http://example.invalid/fetch")

U = "http://example.invalid/"
await attempt("from js import fetch", from_js_import_fetch)
await attempt("js.globalThis.fetch", lambda: js.globalThis.fetch(U + "globalThis"))
await attempt("js.self.fetch", lambda: js.self.fetch(U + "self"))
await attempt("pyodide.http.pyfetch", pyfetch)
await attempt("pyodide.http.open_url", open_url)
await attempt("pyodide.code.run_js", run_js)
await attempt("urllib", urllib_get)
await attempt("socket", socket_connect)
await attempt("XMLHttpRequest", lambda: js.XMLHttpRequest.new().open("GET", U + "xhr"))
await attempt("WebSocket", lambda: js.WebSocket.new("ws://example.invalid/ws"))
await attempt("EventSource", lambda: js.EventSource.new(U + "sse"))
await attempt("importScripts", lambda: js.importScripts(U + "importScripts.js"))
await attempt("eval", lambda: js.eval("import('" + U + "eval.js')"))
await attempt("Function", lambda: js.Function("return import('" + U + "function.js')")())
await attempt("a function's constructor", lambda: js.setTimeout.constructor("return import('" + U + "ctor.js')")())
await attempt("setTimeout with text", lambda: js.setTimeout("import('" + U + "settimeout.js')", 0))
await attempt("Worker", lambda: js.Worker.new(U + "worker.js"))
await attempt("caches", lambda: js.caches.open("x"))
await attempt("FontFace", lambda: js.FontFace.new("x", "url(" + U + "font.woff2)").load())
await attempt("pyodide.loadPackage", lambda: pyodide_js.loadPackage(U + "x-1.0-py3-none-any.whl"))
await asyncio.sleep(1.5)
json.dumps(out)
'''


def test_python_in_the_worker_cannot_send_a_request_to_another_origin(base_url, probe):
    p = probe()
    p.context.add_init_script(HOOKS)
    p.page.goto(base_url + "?view=diagnostics")
    p.ready()
    assert "fetch" in p.page.evaluate("window.__taf.engine.locked")
    tried = json.loads(p.page.evaluate("(code) => window.__taf.engine.debugRunPython(code)", ESCAPES))
    assert len(tried) == 20, tried
    # each raises, except loadPackage, which only logs its failure: the request log below decides
    assert [k for k, v in tried.items() if not v.startswith("blocked")] in ([], ["pyodide.loadPackage"]), tried
    p.page.wait_for_timeout(500)
    assert p.foreign == []  # every request outside 127.0.0.1 is recorded (and aborted) by the probe
    # the engine still answers after all that
    p.page.fill("input[name=gamma]", "0.8")
    p.live()


def test_test_hooks_are_off_unless_a_harness_turns_them_on(base_url, probe):
    p = probe()
    p.page.goto(base_url + "?view=diagnostics&__TAF_TEST_HOOKS__=true&debug=1")
    p.ready()
    refused = p.page.evaluate("() => window.__taf.engine.debugRunPython('1 + 1').then(() => 'ran', (e) => e.message)")
    assert refused == "test hooks are off"
    answered = p.page.evaluate("""() => new Promise((resolve) => {
        const e = window.__taf.engine, w = e.worker;  // straight to the worker: ignored without the init flag
        const seen = (event) => { if (event.data.type === 'debug-result') resolve('ran'); };
        w.addEventListener('message', seen);
        w.postMessage({ type: 'debug-run-python', id: 0, code: '1 + 1' });
        setTimeout(() => resolve('ignored'), 2000);
    })""")
    assert answered == "ignored"


def test_the_headers_file_gives_the_worker_the_pages_policy_and_the_app_still_works(headers_url, probe, dist):
    assert "Content-Security-Policy" in (dist / "_headers").read_text()
    p = probe()
    p.context.add_init_script(HOOKS)
    p.page.goto(headers_url + "?view=profile&model=Qwen%2FQwen2.5-7B")
    p.ready()
    p.page.fill("input[name=T_eval]", "65536")
    p.live()
    assert p.page.locator('[data-testid="verdict"]').inner_text()
    assert p.foreign == [] and p.errors == []


def test_a_large_upload_shows_its_progress_and_dims_the_old_table_meanwhile(base_url, probe, tmp_path):
    """Issue 15 item 1: a large upload is parsed and scored in the worker with progress — the page
    shows how far it has got (numbers from the engine's progress messages) with the old table dimmed
    as pending, then the summary; the progress is gone once the answer is drawn."""
    p = probe()
    p.page.goto(base_url + "?view=leaderboard")
    p.ready()
    p.settled()
    n = 200_000
    path = tmp_path / "progress.csv"
    write_leaderboard_csv(path, n, name="model {i:06d}", flops_every=9000)
    p.page.evaluate("""() => {  // every text the progress element shows, and whether the table was dimmed then
        const el = document.querySelector('[data-testid="rsrc-progress"]');
        const result = document.querySelector('[data-testid="result"]');
        window.__progressSeen = [];
        new MutationObserver(() => {
            if (el.hidden || !el.textContent) return;
            window.__progressSeen.push({ text: el.textContent, dimmed: result.classList.contains('scoring'),
                                         stale: result.dataset.stale, summary: !!result.querySelector('[data-testid="leaderboard-summary"]')
                                                  && result.querySelector('[data-testid="leaderboard-summary"]').textContent.includes('200,000 rows in') });
        }).observe(el, { childList: true, characterData: true, subtree: true, attributes: true });
    }""")
    p.page.set_input_files("#rsrc-file", str(path))
    expect(p.page.locator('[data-testid="leaderboard-summary"]')).to_contain_text(
        f"{n:,} rows in, {n:,} out", timeout=60_000)
    seen = p.page.evaluate("() => window.__progressSeen")
    numbered = [s for s in seen if re.search(r"Scoring your file… \d+% \([\d,]+ of [\d,]+ rows (read|scored)\)", s["text"])]
    assert numbered, seen  # at least one progress text with the engine's numbers, before the summary
    assert all(s["dimmed"] and s["stale"] == "pending" and not s["summary"] for s in seen), seen
    assert all(f"of {n:,} rows" in s["text"] for s in numbered), numbered
    progress = p.page.locator('[data-testid="rsrc-progress"]')
    assert progress.is_hidden() and progress.inner_text() == ""
    result = p.page.locator('[data-testid="result"]')
    assert "scoring" not in (result.get_attribute("class") or "") and result.get_attribute("data-stale") == "false"
    expect(p.page.locator('[data-testid="leaderboard-row"]')).to_have_count(200)
    assert p.errors == [] and p.foreign == []


def test_the_runtime_ships_the_standard_library_the_engine_can_import_and_no_more(base_url, probe, dist):
    """build.py cuts Pyodide's python_stdlib.zip to the modules the engine and Pyodide can import:
    every standard module the engine's source imports (at the top or inside a function) that Pyodide
    ships as source is in the shipped zip; modules nothing imports are not; the page's Python
    imports the engine's lazily imported modules from it."""
    import ast
    import zipfile
    root = Path(__file__).resolve().parents[2]
    stock = zipfile.ZipFile(root / "node_modules" / "pyodide" / "python_stdlib.zip")
    shipped = zipfile.ZipFile(dist / "pyodide" / "python_stdlib.zip")
    stock_names, shipped_names = set(stock.namelist()), set(shipped.namelist())
    imported = set()
    for path in (root / "py" / "taf").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module)
    as_source = {name for name in imported if not name.startswith("taf")
                 and ({f"{name.replace('.', '/')}.py", f"{name.replace('.', '/')}/__init__.py"} & stock_names)}
    assert {"statistics", "csv", "hashlib", "json"} <= as_source
    for name in as_source:
        assert {f"{name.replace('.', '/')}.py", f"{name.replace('.', '/')}/__init__.py"} & shipped_names, name
    assert shipped_names < stock_names and not {"smtplib.py", "tomllib/__init__.py", "encodings/cp1252.py"} & shipped_names
    assert (dist / "pyodide" / "python_stdlib.zip").stat().st_size < 0.75 * (root / "node_modules" / "pyodide" / "python_stdlib.zip").stat().st_size
    p = probe()
    p.context.add_init_script("window.__TAF_TEST_HOOKS__ = true")
    p.page.goto(base_url + "?view=recipe&recipe=X-2")
    p.ready()
    seen = p.page.evaluate("""() => window.__taf.engine.debugRunPython(
        "import statistics, csv, hashlib\\nstr(statistics.median([3, 1, 2])) + ',' + hashlib.sha256(b'').hexdigest()[:8]",
        { sync: true })""")
    assert seen == "2,e3b0c442"
    assert p.errors == []


def test_the_engine_ships_as_bytecode_of_the_pages_own_python(base_url, probe, dist):
    """build.py compiles py/taf with the pinned Pyodide (its Python, -OO, unchecked-hash): the wheel
    holds a .pyc for every module the page can import and no source, and the worker imports
    that bytecode (a magic number of another Python would be refused and the app would not start).
    The package lock shipped is empty: the app loads no package from it."""
    import zipfile
    root = Path(__file__).resolve().parents[2] / "py"
    expected = {"taf/" + p.relative_to(root / "taf").with_suffix(".pyc").as_posix()
                for p in (root / "taf").rglob("*.py") if p.name not in ("cli.py", "__main__.py")}
    wheel = next((dist / "py").glob("taf-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        headers = {name: zf.read(name)[:8] for name in names if name.endswith(".pyc")}
    assert {n for n in names if n.endswith(".pyc")} == expected and not any(n.endswith(".py") for n in names)
    assert len({h[:4] for h in headers.values()}) == 1
    assert all(int.from_bytes(h[4:8], "little") == 1 for h in headers.values())  # hash-based, source not checked
    assert json.loads((dist / "pyodide" / "pyodide-lock.json").read_text())["packages"] == {}
    p = probe()
    p.context.add_init_script("window.__TAF_TEST_HOOKS__ = true")
    p.page.goto(base_url + "?view=recipe&recipe=X-2")
    p.ready()
    seen = json.loads(p.page.evaluate("""() => window.__taf.engine.debugRunPython(
        "import importlib.util, json, taf.api, taf.quantities\\n"
        + "json.dumps([importlib.util.MAGIC_NUMBER.hex(), taf.api.__file__, taf.quantities.weights_bytes.__doc__])",
        { sync: true })"""))
    assert seen[0] == next(iter(headers.values()))[:4].hex()
    assert seen[1].endswith("taf/api.pyc") and seen[2] is None
    expect(p.page.locator('[data-testid="verdict"]').first).to_be_visible()
    assert p.errors == []


WORKER_CLOCK = """(() => { const W = window.Worker; window.__workerAt = null; window.__workerStack = null;
  window.Worker = class extends W { constructor(...a) {
    window.__workerAt = performance.now(); window.__workerStack = new Error().stack; super(...a); } }; })()"""
# Cancels the engine's 600 ms fallback start (boot.js) as soon as the page hands out its test handle,
# in the same task: the worker can then start only when a call needs it (or after a first verdict).
NO_FALLBACK = """Object.defineProperty(window, "__taf", { configurable: true, set(handle) {
  clearTimeout(handle.engine.deferredStart);
  Object.defineProperty(window, "__taf", { value: handle, writable: true, configurable: true }); } });"""


def test_the_engine_starts_after_the_first_verdict_is_drawn_or_when_a_call_needs_it(base_url, probe):
    """The worker (Pyodide's WebAssembly compile) starts once the first, prerendered verdict is drawn
    and painted, so it does not take a core from that paint; a first view with nothing prerendered
    starts it at once (a call needs it), and either way the engine becomes ready and answers live."""
    p = probe()
    p.context.add_init_script(WORKER_CLOCK)
    p.page.goto(base_url)
    p.ready()
    drawn, started, loaded = p.page.evaluate("""() => [performance.getEntriesByName('taf:first-result')[0].startTime,
        window.__workerAt, performance.getEntriesByType('resource').find((e) => e.name.includes('app.js')).responseEnd]""")
    # after the first verdict is drawn — or, when drawing it took longer than the engine's 600 ms
    # fallback wait (armed once app.js has arrived; a loaded machine), no sooner than that wait
    assert started >= min(drawn, loaded + 600), (started, drawn, loaded)
    q = probe()
    q.context.add_init_script(WORKER_CLOCK)
    q.context.add_init_script(NO_FALLBACK)  # a loaded machine can take 600 ms to reach the call: then the
                                            # fallback, not the call, would start it and prove nothing
    q.page.goto(base_url + "?view=recipe&recipe=X-2&model=Qwen%2FQwen2.5-7B&T_eval=12345")  # not prerendered
    q.ready()
    expect(q.page.locator('[data-testid="result"][data-source="live"][data-pending="false"]')).to_have_count(1)
    stack = q.page.evaluate("() => window.__workerStack")
    # at once, by the call that needs it (Engine.enqueue → startOnce), not by the 600 ms fallback wait
    # (cancelled here): decided by who started it, not by a clock a loaded machine can slow
    assert stack is not None and "enqueue" in stack and "startOnce" in stack, stack
    assert p.errors == [] and q.errors == []
