"""The briefs in a real browser: Debian's chromium driven by Playwright (never a downloaded browser).

Every plotly chart draws (svg.main-svg in each figure div), the page logs no console error, asks for
nothing over the network, shows its Chinese headings, and no script from a hostile office name runs.
A screenshot of each brief lands in the test's tmp dir (the district one is also copied to
/tmp/gongkai_brief_district.png for a human to look at).
"""
from __future__ import annotations

import gongkai

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, PROJECT_ROOT, require, require_module
from gongkai import briefs

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # Chromium, and papermill renders each brief first

SMALL = FIXTURES / "dataset_small"
SAMPLE = PROJECT_ROOT / "data"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
HEADINGS = {"district": ["概况", "主动公开信息数量", "主动公开信息类别", "依申请公开办理结果", "年度报告覆盖情况",
                         "数据质量", "数据来源"],
            "office": ["概况", "主动公开信息数量", "数据质量", "数据来源"]}
FIGURES = {"district": 5, "office": 4}
SCREENSHOT_FOR_HUMANS = Path("/tmp/gongkai_brief_district.png")
# every figure div holds plotly's svg with a drawn trace (bars/lines), heat map, or its 'no data' note
CHARTS_DRAWN = """() => [...document.querySelectorAll('.plotly-graph-div')].every(
    div => div.querySelector('svg.main-svg') && div.querySelector('svg.main-svg .trace, svg.main-svg .hm, svg.main-svg .annotation'))"""


@pytest.fixture(scope="module")
def browser(chromium_path):
    sync_api = require_module("playwright.sync_api", "pip install playwright (it drives /usr/bin/chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def render(source: str, kind: str, out: Path) -> Path:
    if source == "small":
        params = dict(district="西城区", years=[2017, 2018, 2019], offices=[], lang="zh") if kind == "district" \
            else dict(office_id="xicheng.hostile1", years=[2017, 2018, 2019], lang="zh")
        return briefs.render_brief(kind, params, out, data_dir=SMALL).html_path
    require((SAMPLE / "facts.csv").is_file(), "the sample dataset data/facts.csv has not been built (make sample)")
    params = briefs.suggest_params(kind, gongkai.load(SAMPLE))
    return briefs.render_brief(kind, params, out, data_dir=SAMPLE).html_path


@pytest.mark.parametrize("source", ["small", "sample"])
@pytest.mark.parametrize("kind", ["district", "office"])
def test_brief_renders_in_chromium(browser, source, kind, tmp_path):
    html_path = render(source, kind, tmp_path / "out")
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    console_errors, page_errors, dialogs, requests = [], [], [], []
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
    page.on("pageerror", lambda e: page_errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: r.url.startswith("file:") or requests.append(r.url))
    page.goto(html_path.as_uri(), wait_until="load")
    page.wait_for_function(CHARTS_DRAWN, polling=100, timeout=15000)
    figures = page.eval_on_selector_all(".plotly-graph-div", "divs => divs.map(d => [d.id, "
                                        "d.querySelectorAll('svg.main-svg').length, d.querySelectorAll('.trace, .hm, .annotation').length])")
    assert len(figures) == FIGURES[kind]
    for div_id, svgs, traces in figures:
        assert div_id.startswith("fig-") and svgs >= 1 and traces >= 1, (div_id, svgs, traces)
    headings = page.eval_on_selector_all("h1, h2", "hs => hs.map(h => h.textContent)")
    assert "政府信息公开工作年度报告分析" in headings[0]
    assert all(h in headings for h in HEADINGS[kind]), headings
    assert not console_errors and not page_errors, console_errors + page_errors
    assert not dialogs, dialogs
    assert not requests, requests  # offline: nothing fetched beyond the file itself
    if source == "small":
        text = page.inner_text("body")
        hostile = "<script>alert(1)</script>街道" if kind == "office" else "<img src=x onerror=alert(2)>街道"
        assert hostile in text  # shown as text, not run as markup
        assert page.evaluate("document.querySelectorAll('main img, [onerror]').length") == 0
    shot = tmp_path / f"{source}-{kind}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if kind == "district":
        shutil.copyfile(shot, SCREENSHOT_FOR_HUMANS)
    page.close()
