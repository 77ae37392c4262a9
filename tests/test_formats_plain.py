"""formats.plain: text reports, the provenance header of archived copies set apart."""
from __future__ import annotations

import pytest

from gongkai.errors import LimitError, ReadError
from gongkai.formats import limits
from gongkai.formats.plain import split_header
from gongkai.reading import read_document

def test_an_archive_header_goes_to_the_header_not_the_text():
    header, body = split_header("url: https://example.gov.cn/a.html\ndistrict: 西城区\noffice: 月坛街道\n\n月坛街道2017年报告\n")
    assert header == {"url": "https://example.gov.cn/a.html", "district": "西城区", "office": "月坛街道"}
    assert body == "月坛街道2017年报告\n"


def test_a_header_above_a_body_rule():
    header, body = split_header("标题:某街道年报\n原文链接: https://example.gov.cn/b\n==== 正文 ====\n正文第一行")
    assert header == {"title": "某街道年报", "url": "https://example.gov.cn/b"} and body == "正文第一行"


def test_text_without_a_header_is_left_whole():
    assert split_header("某街道2019年政府信息公开工作年度报告\n一、总体情况") == (
        {}, "某街道2019年政府信息公开工作年度报告\n一、总体情况")


def test_a_header_alone_is_a_read_error(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("url: https://example.gov.cn/a.html\n\n  \n", encoding="utf-8")
    with pytest.raises(ReadError, match="no text after the header"):
        read_document(path)


def test_text_past_the_length_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 10)
    path = tmp_path / "r.txt"
    path.write_text("主动公开政府信息123条。", encoding="utf-8")
    with pytest.raises(LimitError, match=r"the report text has 13 characters, over the 10 limit \(MAX_TEXT_CHARS\)"):
        read_document(path)


def test_big5_gate_copies_are_converted_to_simplified(corpus_dir):
    doc = read_document(corpus_dir / "pages" / "beijing-shixinfangban_2009_big5.txt")
    assert doc.converted_traditional
    assert "信息公开" in doc.text and "資訊" not in doc.text


