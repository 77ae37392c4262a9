"""downloads: every table as CSV and .xlsx inside the page — readable back, deterministic, never a formula."""
from __future__ import annotations

import base64
import io
import re
import zipfile

import pandas as pd

from gongkai import downloads

FRAME = pd.DataFrame({"单位": ["月坛街道", "=HYPERLINK(\"http://x\",\"y\")", "+1", "@a", "-5"],
                      "数值": [267.0, float("nan"), 2.0, 3.0, 4.0], "比例": [0.5, 0.25, None, 1.0, 2.5],
                      "原文": ["主动公开信息267条", "a\x01b", "", None, "x"]})


def test_csv_reads_back_with_chinese_text_and_whole_numbers():
    data = downloads.csv_bytes(FRAME)
    assert data.startswith(b"\xef\xbb\xbf")                             # Excel opens UTF-8 with a BOM as UTF-8
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back.columns.tolist() == ["单位", "数值", "比例", "原文"]
    assert back["单位"].tolist()[0] == "月坛街道" and back["数值"].tolist()[0] == 267
    assert b"267.0" not in data and b"267," in data                    # a count is written as a count


def test_text_that_looks_like_a_formula_is_text():
    csv = pd.read_csv(io.BytesIO(downloads.csv_bytes(FRAME)), encoding="utf-8-sig")
    assert csv["单位"].tolist()[1:] == ["'=HYPERLINK(\"http://x\",\"y\")", "'+1", "'@a", "'-5"]
    book = zipfile.ZipFile(io.BytesIO(downloads.xlsx_bytes(FRAME)))
    sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet                                            # no formula cell at all
    xlsx = pd.read_excel(io.BytesIO(downloads.xlsx_bytes(FRAME)))
    assert xlsx["单位"].tolist()[1] == "=HYPERLINK(\"http://x\",\"y\")"   # kept as written, as text
    assert xlsx["原文"].tolist()[1] == "ab"                              # a control character XML cannot hold


def test_xlsx_reads_back_and_is_the_same_bytes_every_time():
    first, second = downloads.xlsx_bytes(FRAME, "sources"), downloads.xlsx_bytes(FRAME, "sources")
    assert first == second
    back = pd.read_excel(io.BytesIO(first), sheet_name="sources")
    assert back["数值"].tolist()[0] == 267 and pd.isna(back["数值"].tolist()[1])
    assert back["比例"].tolist()[0] == 0.5
    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml").decode()
    assert core.count(downloads.FIXED_DOC_TIME) == 2
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(first)).infolist()} == {downloads.FIXED_ZIP_TIME}


def test_links_carry_both_files_as_data_uris():
    markup = downloads.links_html(FRAME, "district-xicheng-2017-2019-sources", "zh")
    assert markup.startswith('<div class="gk-downloads">下载表格：')
    found = dict(re.findall(r'download="([^"]+)" href="(data:[^"]+)"', markup))
    assert set(found) == {"district-xicheng-2017-2019-sources.csv", "district-xicheng-2017-2019-sources.xlsx"}
    csv_uri = found["district-xicheng-2017-2019-sources.csv"]
    assert csv_uri.startswith("data:text/csv;base64,")
    assert base64.b64decode(csv_uri.split(",", 1)[1]) == downloads.csv_bytes(FRAME)
    assert found["district-xicheng-2017-2019-sources.xlsx"].startswith(f"data:{downloads.XLSX_MIME};base64,")
    assert "Download: " in downloads.links_html(FRAME, "x", "en")


def test_a_hostile_name_cannot_leave_the_download_attribute():
    markup = downloads.links_html(FRAME.head(1), '"><script>alert(1)</script>', "zh")
    assert "<script" not in markup and re.search(r'download="[\w.-]+\.csv"', markup)


def test_an_empty_table_still_downloads_its_headers():
    empty = FRAME.iloc[0:0]
    assert pd.read_csv(io.BytesIO(downloads.csv_bytes(empty)), encoding="utf-8-sig").columns.tolist() == list(FRAME)
    assert pd.read_excel(io.BytesIO(downloads.xlsx_bytes(empty))).columns.tolist() == list(FRAME)
