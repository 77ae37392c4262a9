"""gongkai.build.index: manifest.json (the build's memory) and index.html (every brief, escaped, offline)."""
from __future__ import annotations

import json
import logging

from gongkai.build import read_manifest, render_index, write_index, write_manifest

RUN = {"finished": "2026-01-01T02:31:05+08:00", "gongkai": "0.1.0", "config": "/srv/gongkai/briefs.yaml"}


def entry(**kw) -> dict:
    base = {"name": "office/office-x-2017-2019", "kind": "office", "html": "office/office-x-2017-2019.html",
            "district": "西城区", "office": "月坛街道", "years": [2017, 2018, 2019], "lang": "zh",
            "status": "built", "built_at": "2026-01-01T02:30:57+08:00", "seconds": 2.04, "size": 1_500_000}
    return {**base, **kw}


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


def test_index_lists_every_brief_with_its_status(tmp_path):
    entries = [entry(),
               entry(name="district/d", kind="district", html="district/d.html", office=None, offices=4,
                     years=[2015, 2017], status="up to date"),
               entry(name="office/f", html="office/f.html", status="failed", error="ValueError: boom", cell="1/0",
                     failed_notebook="_failed/f.ipynb", built_at=None, seconds=None, size=None),
               entry(name="office/o", html="office/o.html", status="out of date", years=[2019])]
    write_index(tmp_path / "index.html", entries, RUN)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "4 briefs: 1 built, 1 up to date, 1 FAILED, 1 out of date." in page
    assert "Last build 2026-01-01 02:31" in page and "/srv/gongkai/briefs.yaml" in page
    assert '<a href="office/office-x-2017-2019.html">' in page and '<a href="district/d.html">' in page
    assert 'href="office/f.html"' not in page                  # never built: nothing to link to
    assert '<a href="_failed/f.ipynb">' in page and "ValueError: boom (cell 1/0)" in page
    assert "the brief shown is the previous good build" not in page
    assert "<td>2017–2019</td>" in page and "<td>2015, 2017</td>" in page and "<td>2019</td>" in page
    assert "<td>4 offices</td>" in page and "<td>1.5 MB</td>" in page and "<td>2.0 s</td>" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page


def test_index_escapes_every_text():
    failed = entry(district="<b>区</b>", office="<script>alert(1)</script>", status="failed",
                   error="ValueError: <img src=x onerror=alert(2)>", cell="x = '<i>'")
    page = render_index([failed], {"finished": "<now>", "gongkai": "0", "config": "<c>"})
    assert "<script>" not in page and "<img" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "2017–2019" in page
    assert "the brief shown is the previous good build" in page          # a failure over a good build
