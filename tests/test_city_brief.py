"""The city brief (issue #11): districts of a city or province compared, rendered and checked in Chromium.

Parameters are checked before any kernel starts; the brief renders from a synthetic city (16 districts) and
from the sample (北京市), draws its three charts offline, shows its headings, and links every district to
its current district brief (../latest/district/<name>.html).
"""
from __future__ import annotations

import pytest

from conftest import require_module
from gongkai import briefs, citypage
from gongkai.errors import ParameterError
from gongkai.links import current_href
from gongkai.synth import generate

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
HEADINGS = ["概览", "主动公开数量", "依申请公开办理结果", "年报覆盖", "各区简报"]


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    out = tmp_path_factory.mktemp("city")
    generate(out, 16 * 20, [2019, 2020, 2021, 2022], seed=3, form="both", offices_per_district=20,
             districts_per_city=16)
    name = (out / "places.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[1]
    return out, name


def test_parameters_are_checked_before_any_kernel(city):
    data, name = city
    assert citypage.validate(dict(city=name, years="2019-2022"), data)["years"] == [2019, 2020, 2021, 2022]
    with pytest.raises(ParameterError, match="unknown city or province '火星市'; known: "):
        citypage.validate(dict(city="火星市", years="2019-2022"), data)
    with pytest.raises(ParameterError, match="no data for year"):
        citypage.validate(dict(city=name, years="2001-2002"), data)
    with pytest.raises(ParameterError, match="unknown parameter"):
        citypage.validate(dict(city=name, years="2020", district="x"), data)


def test_tables_compare_every_district(city):
    data, name = city
    from gongkai import views_sql
    p = citypage.validate(dict(city=name, years=[2021, 2022]), data)
    with views_sql.Source(data) as src:
        t = citypage.tables(src, p)
    assert t["volume"].district.nunique() == 16
    assert set(t["coverage"].year) == {2021, 2022}
    links = citypage.district_links_html(t, p)
    some = t["volume"].district.iloc[0]
    assert f'href="{current_href("district", some, "zh")}"' in links and current_href("district", some).startswith(
        "../latest/district/district-")


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("source", ["synthetic", "sample"])
def test_city_brief_renders_in_chromium(city, chromium_path, source, tmp_path):
    if source == "synthetic":
        data, name = city
        html = briefs.render_brief("city", dict(city=name, years=[2019, 2020, 2021, 2022]), tmp_path,
                                   data_dir=data).html_path
    else:
        html = briefs.render_brief("city", dict(city="北京市", years="2013-2018"), tmp_path).html_path
    assert html.parent.name == "city"
    sync_api = require_module("playwright.sync_api", "pip install playwright (it drives /usr/bin/chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        errors, requests = [], []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: r.url.startswith("file:") or requests.append(r.url))
        page.goto(html.as_uri(), wait_until="load")
        page.wait_for_function("() => [...document.querySelectorAll('.plotly-graph-div')].every("
                               "d => d.querySelector('svg.main-svg .trace, svg.main-svg .hm'))", timeout=15000)
        assert page.eval_on_selector_all(".plotly-graph-div", "ds => ds.length") == 3
        headings = page.eval_on_selector_all("h1, h2", "hs => hs.map(h => h.textContent)")
        assert all(h in headings for h in HEADINGS), headings
        hrefs = page.eval_on_selector_all("a.gk-district-link", "as => as.map(a => a.getAttribute('href'))")
        assert hrefs and all(h.startswith("../latest/district/district-") for h in hrefs)
        assert not errors and not requests, errors + requests
        page.screenshot(path=str(tmp_path / "city.png"), full_page=True)
        browser.close()


def test_briefs_yaml_kind_city(tmp_path):
    from gongkai.build import load_config
    from gongkai.errors import ConfigError
    from conftest import PROJECT_ROOT
    config = tmp_path / "briefs.yaml"
    config.write_text(f"data: {PROJECT_ROOT / 'data'}\nbriefs:\n  - kind: city\n    city: 北京市\n    years: 2013-2018\n",
                      encoding="utf-8")
    spec, = load_config(config).briefs
    assert spec.kind == "city" and spec.params["city"] == "北京市" and spec.params["years"]
    assert spec.notebook.name == "city_brief.ipynb" and len(spec.offices) > 20
    config.write_text(f"data: {PROJECT_ROOT / 'data'}\nbriefs:\n  - kind: city\n    city: 上海市\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown city '上海市'"):
        load_config(config)


def test_city_cards_name_their_year_and_base_and_leave_out_a_rate_on_few_requests():
    import pandas as pd

    from gongkai import citypage
    t = {"volume": pd.DataFrame({"district": ["甲区", "乙区"], "year": [2022, 2022], "items": [120, 80],
                                 "reporting": [3, 2]}),
         "outcomes": pd.DataFrame({"district": ["甲区", "乙区"], "year": [2022, 2022], "handled": [4, 3],
                                   "granted": [2, 1]}),
         "coverage": pd.DataFrame({"district": ["甲区", "乙区"], "year": [2022, 2022], "offices": [4, 4],
                                   "reporting": [3, 2]})}
    cards = citypage.headline_cards(t, {"lang": "zh", "years": [2021, 2022]})
    by_label = {c.label: c for c in cards}
    assert by_label["2022年有年度报告的单位"].value == "5 / 8"
    assert by_label["2022年主动公开"].value == "200" and "5个单位" in by_label["2022年主动公开"].base
    rate = by_label["2022年予以公开比例"]
    assert rate.value == "—" and rate.base == "办结7件申请" and "少于10件" in rate.note
    t["outcomes"] = t["outcomes"].assign(handled=[8, 4], granted=[6, 3])
    rate = {c.label: c for c in citypage.headline_cards(t, {"lang": "zh", "years": [2022]})}["2022年予以公开比例"]
    assert (rate.value, rate.note) == ("75%", "")
