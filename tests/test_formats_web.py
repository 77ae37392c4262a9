"""formats.web: the article of an HTML page without navigation, scripts and styles; its data tables."""
from __future__ import annotations

import pytest

from gongkai.errors import LimitError, ReadError
from gongkai.formats import limits
from gongkai.reading import read_document

from test_formats_layout import assert_spans, cell_texts

HTML = """<!DOCTYPE html><html><head><meta charset="{charset}">
<title>样例街道2021年政府信息公开工作年度报告_样例区人民政府</title>
<link rel="canonical" href="https://www.example.gov.cn/nb/2021.html">
<script>var hidden = "脚本里的数字999条";</script><style>p {{ color: red }}</style></head>
<body>
<div class="nav"><a href="/">首页</a> <a href="/gk">政务公开</a> <a href="/nb">年度报告</a></div>
<ul class="menu"><li><a href="/1">机构概况</a></li><li><a href="/2">政策文件</a></li></ul>
<div id="article">
<h1>样例街道2021年政府信息公开工作年度报告</h1>
<p>本年度主动公开政府信息<b>１５</b>条，
其中通知公告7条。</p>
<table border="1">
<tr><td rowspan="2">信息内容</td><td colspan="2">本年新制作</td><td>现行有效件数</td></tr>
<tr><td>制发件数</td><td>废止件数</td><td>合计</td></tr>
<tr><td>规范性文件</td><td>2</td><td>1</td><td>9</td></tr>
</table>
<p>二、其他说明<br>第二行文字</p>
<script>document.write("<p>注入的段落</p>")</script>
<p style="display:none">隐藏的段落</p>
</div>
<div class="footer">版权所有 样例区人民政府</div>
</body></html>"""


def test_html_article_without_navigation_scripts_styles(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML.format(charset="utf-8"), encoding="utf-8")
    doc = read_document(path)
    assert doc.kind == "html"
    assert doc.header["url"] == "https://www.example.gov.cn/nb/2021.html"
    assert "样例街道2021年" in doc.header["title"]
    assert doc.text.startswith("样例街道2021年政府信息公开工作年度报告\n")
    assert "本年度主动公开政府信息15条,其中通知公告7条。" in doc.text     # line break inside CJK joined
    for gone in ("首页", "机构概况", "999", "color", "注入", "隐藏", "版权所有"):
        assert gone not in doc.text
    assert "二、其他说明\n第二行文字" in doc.text


def test_html_table_rowspan_colspan_expanded_with_cell_spans(tmp_path):
    path = tmp_path / "page.htm"
    path.write_text(HTML.format(charset="utf-8"), encoding="utf-8")
    doc = read_document(path)
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.origin == "html"
    assert cell_texts(doc, table) == [["信息内容", "本年新制作", "本年新制作", "现行有效件数"],
                                      ["信息内容", "制发件数", "废止件数", "合计"],
                                      ["规范性文件", "2", "1", "9"]]
    assert table.rows[0][0] is table.rows[1][0]          # one merged cell, one Cell
    assert doc.text[table.start:table.end] == ("信息内容 | 本年新制作 | 现行有效件数\n制发件数 | 废止件数 | 合计\n"
                                               "规范性文件 | 2 | 1 | 9")
    assert_spans(doc)


def test_html_in_gbk_declared_by_meta_charset(tmp_path):
    path = tmp_path / "gbk.html"
    path.write_bytes(HTML.format(charset="gbk").encode("gbk"))
    doc = read_document(path)
    assert "本年度主动公开政府信息15条" in doc.text


def test_html_full_of_scripts_is_a_read_error(tmp_path):
    path = tmp_path / "scripts.html"
    path.write_text("<html><head><script>" + "var a=1;" * 5000 + "</script></head><body>"
                    + "<script>alert('年度报告')</script>" * 200 + "</body></html>", encoding="utf-8")
    with pytest.raises(ReadError, match="no text in the HTML page"):
        read_document(path)


def test_html_layout_table_is_not_a_data_table(tmp_path):
    path = tmp_path / "layout.html"
    path.write_text("<html><body><table><tr><td><table><tr><td>正文第一段主动公开信息3条。</td></tr></table>"
                    "</td><td>右栏</td></tr></table></body></html>", encoding="utf-8")
    doc = read_document(path)
    assert doc.tables == [] and "主动公开信息3条" in doc.text


def test_spans_over_max_span_are_clamped_as_browsers_do(tmp_path):
    path = tmp_path / "wide.html"
    path.write_text("<table><tr><td colspan='100000'>合计</td><td>9</td></tr><tr><td>规章</td><td>3</td></tr></table>",
                    encoding="utf-8")
    table = read_document(path).tables[0]
    assert len(table.rows[0]) == limits.MAX_SPAN + 1 and table.rows[0][limits.MAX_SPAN].text == "9"
    assert [c.text for c in table.rows[1][:3]] == ["规章", "3", ""]


def test_a_page_of_more_tags_than_the_cap_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_MARKUP_TAGS", 100)
    path = tmp_path / "tags.html"
    path.write_text("<p>主动公开政府信息12条</p>" + "<b>1</b>" * 50, encoding="utf-8")
    with pytest.raises(LimitError, match=r"the page has 102 tags, over the 100 limit \(MAX_MARKUP_TAGS\)"):
        read_document(path)
