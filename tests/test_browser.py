"""The briefs in a real browser: Debian's chromium driven by Playwright (never a downloaded browser).

Four briefs are rendered once for the module (the small fixture's district and office, the sample's
suggested district and office) with an index and the forwarding pages a build writes beside them. In them:
every plotly chart draws, the page logs no console error, asks for nothing over the network, shows its
headings and summary, and no script from a hostile office name runs; every download link yields a CSV and
an .xlsx that pandas reads back; at 400 px nothing scrolls sideways; the visible text holds no check code
and no local path; links lead from the index to the briefs and between district and office briefs;
the source table filters; print keeps a chart on one page. Screenshots land in the test's tmp dir and in
/tmp/gongkai_*.png for a human to look at.
"""
from __future__ import annotations

import base64
import io
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import gongkai
from conftest import FIXTURES, PROJECT_ROOT, require, require_module
from gongkai import briefs
from gongkai.build import write_index

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # Chromium, and papermill renders each brief first

SMALL = FIXTURES / "dataset_small"
SAMPLE = PROJECT_ROOT / "data"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
HEADINGS = {"district": ["摘要", "概况", "主动公开信息数量", "主动公开信息类别", "依申请公开办理结果", "同比变化",
                         "年度报告覆盖情况", "各单位简报", "数据质量", "数据来源"],
            "office": ["摘要", "概况", "主动公开信息数量", "同比变化", "数据质量", "数据来源"]}
FIGURES = {"district": 5, "office": 4}
CODES = ("P-1", "P-2", "P-10", "T3-", "T4-", "G-2", "no_figures", "title_year", "partial_period", "text_vs_table",
         "restated_differently", "categories_vs_total", "total_missing")
PATHS = ("../shared", "/work/", "/home/", "/tmp/", "data/reports/", "corpus/")
# every figure div holds plotly's svg with a drawn trace (bars/lines), heat map, or its 'no data' note
CHARTS_DRAWN = """() => [...document.querySelectorAll('.plotly-graph-div')].every(
    div => div.querySelector('svg.main-svg') && div.querySelector('svg.main-svg .trace, svg.main-svg .hm, svg.main-svg .annotation'))"""
FETCH_DOWNLOADS = """async () => Promise.all([...document.querySelectorAll('a.gk-download')].map(async a => {
    const bytes = new Uint8Array(await (await fetch(a.href)).arrayBuffer());
    let text = ''; bytes.forEach(b => { text += String.fromCharCode(b); });
    return [a.getAttribute('download'), a.dataset.format, btoa(text)];
}))"""


def shot_for_humans(page, name: str, tmp_path: Path) -> Path:
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    shutil.copyfile(shot, Path("/tmp") / f"gongkai_{name}.png")
    return shot


@pytest.fixture(scope="module")
def browser(chromium_path):
    sync_api = require_module("playwright.sync_api", "pip install playwright (it drives /usr/bin/chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _entry(kind: str, params: dict, html: Path, out: Path, ds) -> dict:
    offices = ds.offices.set_index("office_id")
    office_id = params.get("office_id")
    return {"name": f"{kind}/{html.stem}", "kind": kind, "html": str(html.relative_to(out)), "params": params,
            "district": params.get("district") or str(offices.district[office_id]), "office_id": office_id,
            "office": str(offices.name[office_id]) if office_id else None, "years": params["years"],
            "lang": params.get("lang", "zh"), "offices": 0, "status": "built",
            "built_at": "2026-01-01T02:30:00+08:00", "seconds": 3.0, "size": html.stat().st_size}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The four briefs, each in its own output folder with an index and forwarding pages, as a build leaves them."""
    small, sample = tmp_path_factory.mktemp("small"), tmp_path_factory.mktemp("sample")
    paths, entries = {}, {small: [], sample: []}
    small_ds = gongkai.load(SMALL)
    for kind, params in (("district", dict(district="西城区", years=[2017, 2018, 2019], offices=[], lang="zh")),
                         ("office", dict(office_id="xicheng.yuetan", years=[2017, 2018, 2019], lang="zh")),
                         ("office", dict(office_id="xicheng.hostile1", years=[2017, 2018, 2019], lang="zh"))):
        html = briefs.render_brief(kind, params, small, data_dir=SMALL).html_path
        entries[small].append(_entry(kind, params, html, small, small_ds))
        paths[("small", kind if params.get("office_id") != "xicheng.yuetan" else "yuetan")] = html
    if (SAMPLE / "facts.csv").is_file():
        sample_ds = gongkai.load(SAMPLE)
        for kind in ("district", "office"):
            params = briefs.suggest_params(kind, sample_ds)
            html = briefs.render_brief(kind, params, sample, data_dir=SAMPLE).html_path
            entries[sample].append(_entry(kind, params, html, sample, sample_ds))
            paths[("sample", kind)] = html
    run = {"finished": "2026-01-01T02:31:00+08:00", "gongkai": gongkai.__version__, "config": "briefs.yaml"}
    for out, listed in entries.items():
        write_index(out / "index.html", listed, run)
    paths[("small", "index")], paths[("sample", "index")] = small / "index.html", sample / "index.html"
    return paths


def brief(rendered, source: str, kind: str) -> Path:
    if (source, kind) not in rendered:
        require(False, "the sample dataset data/facts.csv has not been built (make sample)")
    return rendered[(source, kind)]


def open_page(browser, path: Path, width: int = 1200):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("dialog", lambda d: (page.problems.append(f"dialog {d.message}"), d.dismiss()))
    page.on("request", lambda r: r.url.startswith(("file:", "data:")) or page.problems.append(r.url))
    page.goto(path.as_uri(), wait_until="load")
    if "index" not in path.name:
        page.wait_for_function(CHARTS_DRAWN, polling=100, timeout=15000)
    return page


@pytest.mark.parametrize("source", ["small", "sample"])
@pytest.mark.parametrize("kind", ["district", "office"])
def test_brief_renders_in_chromium(browser, rendered, source, kind, tmp_path):
    page = open_page(browser, brief(rendered, source, kind))
    figures = page.eval_on_selector_all(".plotly-graph-div", "divs => divs.map(d => [d.id, "
                                        "d.querySelectorAll('svg.main-svg').length, d.querySelectorAll('.trace, .hm, .annotation').length])")
    assert len(figures) == FIGURES[kind]
    for div_id, svgs, traces in figures:
        assert div_id.startswith("fig-") and svgs >= 1 and traces >= 1, (div_id, svgs, traces)
    headings = page.eval_on_selector_all("h1, h2", "hs => hs.map(h => h.textContent)")
    assert "政府信息公开工作年度报告分析" in headings[0]
    assert all(h in headings for h in HEADINGS[kind]), headings
    assert not page.problems, page.problems      # no console error, no dialog, nothing fetched beyond the file
    if source == "small":
        text = page.inner_text("body")
        hostile = "<script>alert(1)</script>街道" if kind == "office" else "<img src=x onerror=alert(2)>街道"
        assert hostile in text  # shown as text, not run as markup
        assert page.evaluate("document.querySelectorAll('main img, [onerror]').length") == 0
    shot_for_humans(page, f"brief_{kind}" if source == "sample" else f"brief_small_{kind}", tmp_path)
    page.close()


@pytest.mark.parametrize("kind", ["district", "office"])
def test_the_summary_and_headline_cards_come_first(browser, rendered, kind):
    page = open_page(browser, brief(rendered, "sample", kind))
    summary = page.inner_text("p.gk-summary")
    sentences = [s for s in summary.split("。") if s.strip()]
    assert 2 <= len(sentences) <= 5 and re.search(r"\d{4}年", summary), summary
    first_h2 = page.eval_on_selector_all("h2", "hs => hs.map(h => h.id)")[:2]
    assert first_h2 == ["summary", "overview"]
    cards = page.eval_on_selector_all(".gk-headline", "cs => cs.map(c => c.innerText)")
    assert len(cards) >= 4
    year = re.search(r"(\d{4})年", page.inner_text(".gk-label")).group(1)        # one year on every dated card
    assert all(year in c for c in cards if re.search(r"\d{4}年", c.split("\n")[1]))
    page.close()


def test_every_download_link_gives_a_table_pandas_reads_back(browser, rendered):
    page = open_page(browser, brief(rendered, "sample", "district"))
    files = page.evaluate(FETCH_DOWNLOADS)
    assert sorted(fmt for _, fmt, _ in files) == ["csv"] * 3 + ["xlsx"] * 3     # 同比, data quality, sources
    for name, fmt, data in files:
        raw = base64.b64decode(data)
        frame = (pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig") if fmt == "csv" else pd.read_excel(io.BytesIO(raw)))
        assert name.endswith(f".{fmt}") and len(frame.columns) >= 3, name
        if name.endswith("sources.csv"):
            assert frame.columns.tolist()[:3] == ["单位", "年度", "指标"] and len(frame) > 0
            assert not frame["来源"].astype(str).str.contains("../shared", regex=False).any()
    page.close()


@pytest.mark.parametrize("source, kind", [("sample", "district"), ("sample", "office"), ("small", "district"),
                                          ("small", "office")])
def test_no_check_code_and_no_local_path_in_the_visible_text(browser, rendered, source, kind):
    page = open_page(browser, brief(rendered, source, kind))
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    text = page.inner_text("main")
    for code in CODES:
        assert not re.search(rf"(?<![\w-]){re.escape(code)}", text), code
    for path in PATHS:
        assert path not in text, path
    page.close()


@pytest.mark.parametrize("source, kind", [("sample", "district"), ("sample", "office"), ("sample", "index")])
def test_nothing_scrolls_sideways_at_400_px(browser, rendered, source, kind, tmp_path):
    page = open_page(browser, brief(rendered, source, kind), width=400)
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.wait_for_timeout(300)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 400
    shot_for_humans(page, "brief_400" if kind == "district" else f"{kind}_400", tmp_path)
    page.close()


def test_links_lead_from_the_index_to_the_briefs_and_between_them(browser, rendered, tmp_path):
    index = open_page(browser, rendered[("small", "index")])
    assert index.inner_text("h1") == "政府信息公开年度报告简报"
    assert index.eval_on_selector_all("section h2", "hs => hs.map(h => h.textContent)") == ["西城区"]
    names = index.eval_on_selector_all("td a", "as => as.map(a => a.textContent)")
    assert names[0] == "西城区全区" and "月坛街道" in names                 # names, not file names
    shot_for_humans(index, "index", tmp_path)
    index.click("text=西城区全区")
    index.wait_for_url(re.compile(r"district/district-xicheng-2017-2019\.html$"))
    index.wait_for_function(CHARTS_DRAWN, polling=100, timeout=15000)
    index.click("ul.gk-offices >> text=月坛街道")                             # through latest/office/…
    index.wait_for_url(re.compile(r"office/office-xicheng-yuetan-2017-2019\.html$"), timeout=15000)
    index.click("a.gk-district")                                              # back up to the district brief
    index.wait_for_url(re.compile(r"district/district-xicheng-2017-2019\.html$"), timeout=15000)
    index.click("a.gk-back")
    index.wait_for_url(re.compile(r"index\.html#district-xicheng$"))
    assert not index.problems, index.problems
    index.close()


def test_the_source_table_opens_and_filters(browser, rendered):
    page = open_page(browser, brief(rendered, "small", "district"))
    rows = "document.querySelectorAll('#gk-sources-table tbody tr:not([hidden])').length"
    assert not page.is_visible("#gk-sources-table")                         # folded until asked for
    page.click("details.gk-sources > summary")
    assert page.is_visible("#gk-sources-table")
    every = page.evaluate(rows)
    page.fill("input.gk-filter", "月坛街道 2018")
    shown = page.evaluate(rows)
    assert 0 < shown < every and page.inner_text("#gk-sources-table-count") == str(shown)
    assert all("月坛街道" in r and "2018" in r for r in
               page.eval_on_selector_all("#gk-sources-table tbody tr:not([hidden])", "rs => rs.map(r => r.innerText)"))
    page.fill("input.gk-filter", "")
    assert page.evaluate(rows) == every
    page.close()


def test_print_keeps_each_chart_on_one_page(browser, rendered):
    page = open_page(browser, brief(rendered, "small", "district"))
    page.emulate_media(media="print")
    breaks = page.eval_on_selector_all(".gk-figure", "fs => fs.map(f => getComputedStyle(f).breakInside)")
    assert breaks and set(breaks) == {"avoid"}
    assert page.evaluate("getComputedStyle(document.querySelector('.gk-toc')).display") == "none"
    page.close()
