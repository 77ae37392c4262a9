"""gongkai.build.index: manifest.json (the build's memory), index.html (every brief, in the build's language,
by district, escaped, offline) and the forwarding pages briefs link to each other by."""
from __future__ import annotations

import json
import logging
import re

from gongkai.build import read_manifest, render_index, write_index, write_manifest
from gongkai.build.index import build_language, current_pages

RUN = {"finished": "2026-01-01T02:31:05+08:00", "gongkai": "0.1.0", "config": "/srv/gongkai/briefs.yaml"}


def entry(**kw) -> dict:
    base = {"name": "office/office-x-2017-2019", "kind": "office", "html": "office/office-x-2017-2019.html",
            "district": "西城区", "office_id": "xicheng.x", "office": "月坛街道", "years": [2017, 2018, 2019],
            "lang": "zh", "status": "built", "built_at": "2026-01-01T02:30:57+08:00", "seconds": 2.04,
            "size": 1_500_000, "params": {}}
    return {**base, **kw}


ENTRIES = [entry(),
           entry(name="district/d", kind="district", html="district/d.html", office=None, office_id=None, offices=4,
                 years=[2015, 2017], status="up to date"),
           entry(name="office/f", html="office/f.html", office_id="xicheng.f", office="金融街街道", status="failed",
                 error="ValueError: boom", cell="1/0", failed_notebook="_failed/f.ipynb", built_at=None,
                 seconds=None, size=None),
           entry(name="office/o", html="office/o.html", office_id="miyun.o", office="果园街道", district="密云区",
                 status="out of date", years=[2019])]


def test_manifest_round_trip(tmp_path):
    path = tmp_path / "manifest.json"
    write_manifest(path, [entry(), entry(name="district/d", kind="district")], RUN)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["manifest_version"] == 1 and doc["run"] == RUN
    assert set(read_manifest(path)) == {"office/office-x-2017-2019", "district/d"}
    assert read_manifest(path)["district/d"]["kind"] == "district"
    assert "月坛街道" in path.read_text(encoding="utf-8")                 # readable, not \u-escaped
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]    # no temporary file left


def test_an_absent_or_broken_manifest_means_no_previous_build(tmp_path, caplog):
    assert read_manifest(tmp_path / "manifest.json") == {}
    for text in ("{not json", "[1, 2]", '{"briefs": [1]}'):
        (tmp_path / "manifest.json").write_text(text, encoding="utf-8")
        with caplog.at_level(logging.WARNING, logger="gongkai.build.index"):
            assert read_manifest(tmp_path / "manifest.json") == {}
        assert "every brief will be rebuilt" in caplog.text
        caplog.clear()


def test_index_lists_every_brief_by_district_in_chinese(tmp_path):
    write_index(tmp_path / "index.html", ENTRIES, RUN)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page and "<h1>政府信息公开年度报告简报</h1>" in page
    assert "共4份简报：已生成1份，无需更新1份，生成失败1份，待更新1份。" in page
    assert "最近一次生成：2026-01-01 02:31（gongkai 0.1.0，配置文件 briefs.yaml）" in page
    assert "/srv/gongkai" not in page                                   # no local path, the file's name only
    assert re.findall(r"<th>(.*?)</th>", page)[:8] == ["简报", "类型", "年度", "语言", "生成时间", "用时", "大小", "状态"]
    assert re.findall(r'<section id="([^"]+)"><h2>(.*?)</h2>', page) == [("district-xicheng", "西城区"),
                                                                         ("district-miyun", "密云区")]
    assert '<a href="office/office-x-2017-2019.html">月坛街道</a>' in page                 # the office, not the slug
    assert '<a href="district/d.html">西城区全区（4个单位）</a>' in page
    assert page.index("西城区全区") < page.index(">月坛街道<")                     # the district brief first
    assert 'href="office/f.html"' not in page and ">金融街街道<" in page        # never built: nothing to link to
    assert '<a href="_failed/f.ipynb">' in page and "ValueError: boom（第1/0格）" in page
    assert "显示的是上一次成功生成的简报" not in page
    assert "<td>2017–2019</td>" in page and "<td>2015, 2017</td>" in page and "<td>2019</td>" in page
    assert "<td>1.5 MB</td>" in page and "<td>2.0 秒</td>" in page and "<td>单位简报</td>" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page


def test_index_follows_the_build_language():
    english = [dict(e, lang="en") for e in ENTRIES]
    assert build_language(english) == "en" and build_language(ENTRIES) == "zh" and build_language([]) == "zh"
    assert build_language([entry(lang="en"), entry(lang="zh")]) == "zh"          # a tie: zh
    page = render_index(english, RUN)
    assert "4 briefs: 1 built, 1 up to date, 1 FAILED, 1 out of date." in page
    assert "Last build 2026-01-01 02:31" in page and "<th>brief</th>" in page
    assert "ValueError: boom (cell 1/0)" in page and "西城区, all offices (4)" in page


def test_index_escapes_every_text():
    failed = entry(district="<b>区</b>", office="<script>alert(1)</script>", status="failed",
                   error="ValueError: <img src=x onerror=alert(2)>", cell="x = '<i>'")
    page = render_index([failed], {"finished": "<now>", "gongkai": "0", "config": "<c>"})
    assert "<script>" not in page and "<img" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "2017–2019" in page
    assert "显示的是上一次成功生成的简报" in page                           # a failure over a good build


def test_forwarding_pages_point_at_the_current_brief_of_each_office_and_district(tmp_path):
    entries = ENTRIES + [entry(name="office/office-x-2019", html="office/office-x-2019.html", years=[2019]),
                         entry(name="district/d-en", kind="district", html="district/d-en.html", lang="en",
                               office=None, office_id=None, offices=4)]
    pages = current_pages(entries)
    assert sorted(pages) == ["latest/district/district-miyun.html", "latest/district/district-xicheng-en.html",
                             "latest/district/district-xicheng.html", "latest/office/office-miyun-o.html",
                             "latest/office/office-xicheng-x.html"]                 # f was never built: none
    office = pages["latest/office/office-xicheng-x.html"]
    assert 'content="0; url=../../office/office-x-2017-2019.html"' in office      # the one over the most years
    assert "月坛街道" in office
    assert "url=../../district/d.html" in pages["latest/district/district-xicheng.html"]
    # 密云区 has an office brief (out of date, but built before) and no district brief: its part of the index
    assert "url=../../index.html#district-miyun" in pages["latest/district/district-miyun.html"]
    write_index(tmp_path / "index.html", entries, RUN)
    written = tmp_path / "latest" / "office" / "office-xicheng-x.html"
    assert written.read_text(encoding="utf-8") == office
    before = written.stat().st_mtime_ns
    write_index(tmp_path / "index.html", entries, RUN)
    assert written.stat().st_mtime_ns == before                         # unchanged: not rewritten
    assert not list(tmp_path.glob("*/*.html"))                          # never among the briefs' folders
