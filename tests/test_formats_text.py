"""formats.text: encodings decided by content, one normalized form, traditional characters detected."""
from __future__ import annotations

import logging

import pytest

from gongkai.errors import ReadError
from gongkai.formats.text import decode, flatten_inline, is_traditional, normalize, to_simplified
from gongkai.reading import read_document

REPORT = ("某街道2019年政府信息公开工作年度报告\n"
          "本年度共主动公开政府信息１２３条，其中机构职能类信息８条。\n"
          "全年收到信息公开申请4件。\n")



@pytest.mark.parametrize("encoding,expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"),
                                               ("gb18030", "gb18030"), ("gbk", "gb18030")])
def test_text_encodings_detected_from_content(tmp_path, encoding, expected):
    path = tmp_path / "report.txt"
    path.write_bytes(REPORT.encode(encoding))
    doc = read_document(path)
    assert doc.encoding == expected
    assert "主动公开政府信息123条,其中机构职能类信息8条" in doc.text   # full-width digits and comma normalized
    assert doc.kind == "txt"


def test_crlf_and_number_on_its_own_line_are_joined(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes("累计主动公开政府信息\r\n5928\r\n条，全文电子化率达\r\n90.3%\r\n".encode("utf-8"))
    doc = read_document(path)
    assert "政府信息5928条" in doc.text and "\r" not in doc.text
    assert "电子化率达90.3%" in doc.text


def test_normalize_is_idempotent():
    text = "主动公开政府信息１２３条，（一）情况：\r\n信息\n59\n条"
    once = normalize(text)
    assert normalize(once) == once
    assert "(一)" in once and "信息59条" in once


def test_utf8_cut_in_a_character_drops_it_with_a_warning(caplog):
    data = "主动公开政府信息12件".encode("utf-8")
    for cut in (1, 2):
        with caplog.at_level(logging.WARNING, logger="gongkai.formats.text"):
            assert decode(data[:-cut], "r.txt") == ("主动公开政府信息12", "utf-8")
        assert f"r.txt: UTF-8 text cut in the middle of a character at byte {len(data) - 3}" in caplog.text
    assert decode(b"\xef\xbb\xbf" + data[:-1], "r.txt") == ("主动公开政府信息12", "utf-8-sig")


def test_utf8_broken_elsewhere_is_still_read_as_gb18030_or_refused():
    gbk = "政府信息公开工作年度报告".encode("gbk")
    assert decode(gbk, "r.txt") == ("政府信息公开工作年度报告", "gb18030")
    with pytest.raises(ReadError, match="UTF-8 BOM but undecodable bytes at offset 3"):
        decode(b"\xef\xbb\xbf\xff\xfe" + "信息".encode(), "r.txt")


def test_undecodable_utf16_is_a_read_error_not_a_unicode_error():
    with pytest.raises(ReadError, match="UTF-16 BOM but undecodable bytes"):
        decode(b"\xff\xfe\x00\xd8\x41\x00", "r.txt")         # a lone surrogate


def test_flatten_inline_joins_cjk_across_line_breaks_only():
    assert flatten_inline("主动公开\n 政府信息  12\n条 of\n text") == "主动公开政府信息 12 条 of text"


def test_traditional_text_is_detected_and_converted():
    sample = "本機關發佈資訊條目總計，開放範圍與業務處理"
    assert is_traditional(sample) and not is_traditional("本机关发布信息条目总计")
    converted, done = to_simplified(sample)
    assert done and "机关" in converted and "資訊" not in converted
    assert to_simplified("主动公开") == ("主动公开", False)
