"""gongkai.briefs: parameter validation, rendering one brief to offline HTML, failure handling.

Rendering starts a kernel (marked slow): the two briefs of the `rendered` fixture are shared by the tests
that read HTML; the failure modes use the fixture notebooks named after them (tests/fixtures/notebooks:
broken, sysexit, no_parameters).
"""
from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path

import nbformat
import numpy as np
import plotly.offline
import pytest

import gongkai
from conftest import FIXTURES
from gongkai import briefs, kernel
from gongkai.errors import BriefError, ParameterError

SMALL = FIXTURES / "dataset_small"
NOTEBOOKS = FIXTURES / "notebooks"
GUOYUAN = dict(office_id="miyun.guoyuan", years=[2017])
DISTRICT = dict(district="西城区", years="2017-2019", offices=[], lang="zh")
FIGURES = {"district": ["volume-ranking", "volume-trend", "category-mix", "request-outcomes", "coverage"],
           "office": ["volume-trend", "category-mix", "request-outcomes", "coverage"]}
BUILD_TIME = re.compile(r'<time class="gongkai-build-time">([^<]*)</time>')


@pytest.fixture(scope="module")
def ds():
    return gongkai.load(SMALL)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("briefs")
    district = briefs.render_brief("district", DISTRICT, out, data_dir=SMALL)
    office = briefs.render_brief("office", dict(office_id="xicheng.yuetan", years=[2017, 2018, 2019], lang="en"),
                                 out, data_dir=SMALL)
    return dict(out=out, district=district, office=office)


# ---- validate_params

def test_validate_normalizes(ds):
    p = briefs.validate_params("district", dict(district="西城区", years=["2019", 2017, 2018, 2018],
                                                offices=["xicheng.yuetan"]), ds)
    assert p == dict(district="西城区", years=[2017, 2018, 2019], offices=["xicheng.yuetan"], lang="zh")
    assert briefs.validate_params("office", dict(office_id="miyun.guoyuan", years="2017"), ds)["years"] == [2017]


@pytest.mark.parametrize("kind, params, says", [
    ("district", dict(district="东城区", years=[2017]), ["unknown district", "西城区", "密云区"]),
    ("district", dict(district="西城区", years=[2017], offices=["xicheng.nowhere"]), ["xicheng.yuetan (月坛街道)"]),
    ("district", dict(district="西城区", years=[2017], offices=["miyun.guoyuan"]), ["unknown office"]),
    ("district", dict(district="西城区", years="2019-2017"), ["empty year range"]),
    ("district", dict(district="西城区", years=[]), ["missing parameter"]),
    ("district", dict(district="西城区", years=[2016, 2017]), ["2016", "years with data: 2017、2018、2019"]),
    ("office", dict(office_id=7, years=[2017]), ["unknown office_id '7'", "xicheng.yuetan"]),
    ("office", dict(office_id="miyun.guoyuan", years=[2018]), ["no data for year(s) 2018", "2017"]),
    ("district", dict(district="西城区", years=[2017], colour="red"), ["unknown parameter", "colour"]),
    ("district", dict(district="西城区", years=[2017], lang="fr"), ["lang 'fr'"]),
    ("report", dict(years=[2017]), ["unknown brief kind"]),
    ("district", dict(district="西城区", years="twenty"), ["not a year"]),
])
def test_validate_rejects_with_listing(ds, kind, params, says):
    with pytest.raises(ParameterError) as error:
        briefs.validate_params(kind, params, ds)
    for fragment in says:
        assert fragment in str(error.value)


# ---- render_brief

@pytest.mark.slow
def test_render_writes_brief_where_promised(rendered):
    d = rendered["district"]
    assert d.html_path == rendered["out"] / "district" / "district-xicheng-2017-2019.html"
    assert d.size == d.html_path.stat().st_size and 0 < d.seconds < 120
    assert not (rendered["out"] / "_failed").exists()
    assert not list(rendered["out"].rglob("*.tmp")) and not list(rendered["out"].rglob("*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["district", "office"])
def test_html_is_offline_without_code_with_every_figure(rendered, kind):
    html = rendered[kind].html_path.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\bsrc=", html)
    assert not re.search(r"<link[^>]*\bhref=[\"']?(https?:)?//", html)
    assert "cdn" not in " ".join(re.findall(r"<(?:script|link)[^>]*>", html)).lower()
    banner = f"plotly.js (cartesian - minified) v{plotly.offline.get_plotlyjs_version()}"
    assert html.count(banner) == 1 and "* plotly.js v" not in html  # plotly.js once (the partial bundle)
    assert html.index(banner) < html.index("<main>")
    for name in FIGURES[kind]:
        assert len(re.findall(rf'Plotly\.newPlot\(\s*"fig-{name}"', html)) == 1, name
        assert html.count(f'<div class="plotly-graph-div" id="fig-{name}"') == 1, name
    for code in ("validate_params", "page.show", "from gongkai import", "jp-InputPrompt", "In&nbsp;["):
        assert code not in html


def figure_traces(html: str, name: str) -> list[dict]:
    """The traces a brief hands to Plotly.newPlot for figure fig-<name>, typed arrays decoded."""
    match = re.search(rf'Plotly\.newPlot\(\s*"fig-{name}",\s*', html)
    traces, _ = json.JSONDecoder().raw_decode(html, match.end())

    def decode(value):
        if isinstance(value, dict) and "bdata" in value:
            return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
        return value
    return [{key: decode(value) for key, value in trace.items()} for trace in traces]


@pytest.mark.slow
def test_html_holds_the_figures_data(rendered):
    html = rendered["district"].html_path.read_text(encoding="utf-8")
    ranking = figure_traces(html, "volume-ranking")[0]
    assert ranking["x"] == [45, 70, 180, 295] and ranking["y"][-1] == "月坛街道"
    trend = {t["name"]: t for t in figure_traces(html, "volume-trend")}
    assert trend["月坛街道"]["y"] == [267, 310, 295]
    mix = {t["name"]: t for t in figure_traces(html, "category-mix")}
    work = dict(zip(mix["工作动态"]["x"], mix["工作动态"]["y"]))  # 2017: the year most offices state categories
    assert work == pytest.approx({"金融街街道": 100 / 120 * 100, "月坛街道": 150 / 267 * 100})
    outcomes = {t["name"]: t for t in figure_traces(html, "request-outcomes")}
    rate = outcomes["予以公开率（办结不少于10件时）"]          # 1, 3 and 6 requests handled: too few for a rate
    assert len(rate["y"]) == 3 and all(y is None or y != y for y in rate["y"])
    coverage = figure_traces(html, "coverage")[0]
    z = coverage["z"]  # 4 offices × 3 years, flattened typed array
    assert coverage["x"] == ["2017", "2018", "2019"] and len(z) == 12
    assert (z.count(0), z.count(3), z.count(2)) == (1, 1, 2)  # no report, error, warnings
    assert "西城区政府信息公开工作年度报告分析（2017–2019年）" in html
    assert "数据质量" in html and "月坛街道2018年报告：有一处数字需要核对" in html  # data-quality section
    assert '<a href="https://example.org/miyun' not in html  # only the district's sources
    assert 'href="https://example.org/xicheng/yuetan/2018.html"' in html  # source table


@pytest.mark.slow
def test_hostile_names_reach_html_escaped(rendered):
    html = rendered["district"].html_path.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;街道" in html
    assert "&lt;img src=x onerror=alert(2)&gt;街道" in html


@pytest.mark.slow
def test_english_brief(rendered):
    html = rendered["office"].html_path.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Publication volume" in html and "Data quality" in html


@pytest.mark.slow
def test_output_is_deterministic_but_for_the_build_time(rendered, tmp_path):
    again = briefs.render_brief("district", DISTRICT, tmp_path, data_dir=SMALL)
    first = rendered["district"].html_path.read_text(encoding="utf-8")
    second = again.html_path.read_text(encoding="utf-8")
    for page in (first, second):
        stamps = BUILD_TIME.findall(page)
        assert len(stamps) == 1 and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", stamps[0]), stamps
    assert BUILD_TIME.sub("", second) == BUILD_TIME.sub("", first)


@pytest.mark.slow
def test_failure_keeps_notebook_and_previous_html(rendered, tmp_path):
    previous = tmp_path / "office" / "office-miyun-guoyuan-2017.html"
    previous.parent.mkdir()
    shutil.copy(rendered["office"].html_path, previous)
    before = previous.read_bytes()
    with pytest.raises(BriefError) as error:
        briefs.render_brief("office", GUOYUAN, tmp_path, data_dir=SMALL, notebook=NOTEBOOKS / "broken.ipynb",
                            keep_failed=tmp_path / "kept")
    assert error.value.error == "ValueError: fixture notebook fails on purpose"
    assert error.value.cell == 'raise ValueError("fixture notebook fails on purpose")'
    assert str(error.value) == "office brief office-miyun-guoyuan-2017: cell 3 failed"
    kept = Path(error.value.notebook)
    assert kept == tmp_path / "kept" / "office-miyun-guoyuan-2017.ipynb"
    executed = nbformat.read(kept, 4)
    assert any(o.get("ename") == "ValueError" for c in executed.cells for o in c.get("outputs", []))
    injected = next(c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'office_id = "miyun.guoyuan"' in injected.source
    assert previous.read_bytes() == before
    assert not list(tmp_path.rglob("*.tmp"))


@pytest.mark.slow
def test_a_notebook_that_exits_is_a_failure(tmp_path):
    with pytest.raises(BriefError) as error:
        briefs.render_brief("office", GUOYUAN, tmp_path, data_dir=SMALL, notebook=NOTEBOOKS / "sysexit.ipynb")
    assert error.value.error == "SystemExit: 1" and "sys.exit(1)" in error.value.cell
    assert Path(error.value.notebook) == tmp_path / "_failed" / "office-miyun-guoyuan-2017.ipynb"  # the default
    assert not (tmp_path / "office").exists()


@pytest.mark.slow
def test_a_notebook_without_a_parameters_cell_still_gets_them(tmp_path):
    result = briefs.render_brief("office", dict(GUOYUAN, lang="en"), tmp_path, data_dir=SMALL,
                                 notebook=NOTEBOOKS / "no_parameters.ipynb")
    html = result.html_path.read_text(encoding="utf-8")
    assert result.html_path == tmp_path / "office" / "office-miyun-guoyuan-2017-en.html"
    assert "miyun.guoyuan [2017] en" in html                # papermill injected them as the first cell


def test_bad_parameters_render_nothing(tmp_path):
    with pytest.raises(ParameterError):
        briefs.render_brief("district", dict(district="东城区", years=[2017]), tmp_path, data_dir=SMALL)
    assert not any(tmp_path.iterdir())


def test_unregistered_kernel_is_a_brief_error(tmp_path, monkeypatch):
    monkeypatch.setattr(kernel, "project_kernel_dir", lambda: str(tmp_path / "no-kernels"))
    with pytest.raises(BriefError) as error:
        briefs.render_brief("office", GUOYUAN, tmp_path / "out", data_dir=SMALL)
    assert "NoSuchKernel" in str(error.value) and error.value.cell is None
    assert type(error.value.__cause__).__name__ == "NoSuchKernel"
    assert not (tmp_path / "out" / "office").exists()


def test_suggested_parameters_make_a_valid_brief(ds):
    district = briefs.suggest_params("district", ds)
    assert district == dict(district="西城区", years=[2017, 2018, 2019], offices=[], lang="zh")
    assert briefs.validate_params("district", district, ds) == district
    office = briefs.suggest_params("office", ds)
    # three offices have 3 reports each: the first by id
    assert office == dict(office_id="xicheng.hostile1", years=[2017, 2018, 2019], lang="zh")
    assert briefs.validate_params("office", office, ds) == office
