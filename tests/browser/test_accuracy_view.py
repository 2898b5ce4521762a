"""The Accuracy view renders the corpus: the summary, the plot, rows with quotes; filters narrow it."""


def test_accuracy_view_shows_measurements_and_filters(base_url, probe):
    p = probe()
    p.page.goto(base_url + "?view=accuracy")
    p.ready()
    p.settled(timeout=60000)
    summary = p.page.locator('[data-testid="accuracy-summary"]')
    assert "leave-one-source-out" in summary.inner_text()
    assert "predicted by a calibration fitted on the other sources" in summary.locator("caption").inner_text()
    assert summary.locator('tr[data-category="decode_tokens_per_s"]').count() == 1
    dots = p.page.locator('[data-testid="accuracy-point"]').count()
    assert dots > 20
    first = p.page.locator('[data-testid="accuracy-row"]').first
    first.locator("summary").click()
    assert first.locator("blockquote").inner_text().strip() != ""
    p.page.select_option("select[name=engine]", "llama.cpp")
    rows = p.page.locator('[data-testid="accuracy-row"]')
    assert 0 < rows.count() and all("llama.cpp" in t for t in rows.locator("td:nth-child(3)").all_inner_texts())
    assert p.page.locator('[data-testid="accuracy-point"]').count() < dots
    assert p.errors == [] and p.foreign == []
