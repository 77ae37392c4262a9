"""reading + formats: encodings decided by content, HTML/DOCX/PDF layout into one normalized text, bad files."""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from gongkai.errors import ReadError
from gongkai.reading import MAX_TEXT_BYTES, normalize, read_document

REPORT = ("某街道2019年政府信息公开工作年度报告\n"
          "本年度共主动公开政府信息１２３条，其中机构职能类信息８条。\n"
          "全年收到信息公开申请4件。\n")


def cell_texts(doc, table):
    return [[c.text for c in row] for row in table.rows]


def assert_spans(doc):
    for table in doc.tables:
        assert doc.text[table.start:table.end].count("\n") == len(table.rows) - 1
        for row in table.rows:
            for cell in row:
                assert doc.text[cell.start:cell.end] == cell.text


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


@pytest.mark.parametrize("name,data,message", [
    ("empty.txt", b"  \n", "empty file"),
    ("binary.txt", bytes(range(256)) * 40, "binary content"),
    ("renamed.txt", b"%PDF-1.7\n" + bytes(range(256)) * 4, "a PDF file"),
    ("truncated.txt", "政府信息公开工作年度报告".encode("gbk")[:-1], "truncated"),
    ("report.xyz", b"text", "unknown extension .xyz"),
    ("old.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "save it as .docx"),
])
def test_bad_files_raise_read_error_naming_the_file(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReadError) as err:
        read_document(path)
    assert message in err.value.problem
    assert err.value.path == str(path) and str(path) in str(err.value)


def test_a_50_mb_text_file_is_refused_quickly_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.write(("主动公开政府信息1条。\n" * 1000).encode("utf-8") * (50 * 2**20 // 31000))
    assert path.stat().st_size > MAX_TEXT_BYTES
    started = time.perf_counter()
    with pytest.raises(ReadError, match="too large for a report"):
        read_document(path)
    assert time.perf_counter() - started < 1.0


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


def test_docx_paragraphs_and_tables_in_order_with_merged_cells(tmp_path):
    import docx
    document = docx.Document()
    document.add_paragraph("样例镇2021年政府信息公开工作年度报告")
    document.add_paragraph("本年度主动公开政府信息１２条。")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "信息内容"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "本年"
    table.cell(1, 1).text, table.cell(1, 2).text = "制发件数", "废止件数"
    for i, value in enumerate(["规章", "0", "3"]):
        table.cell(2, i).text = value
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    path = tmp_path / "report.docx"
    document.save(path)
    doc = read_document(path)
    assert doc.kind == "docx"
    assert doc.text.index("主动公开政府信息12条") < doc.tables[0].start < doc.text.index("三、收到")
    assert cell_texts(doc, doc.tables[0]) == [["信息内容", "本年", "本年"], ["信息内容", "制发件数", "废止件数"],
                                              ["规章", "0", "3"]]
    assert_spans(doc)


def test_broken_docx_is_a_read_error(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ReadError, match="not a readable .docx"):
        read_document(path)


def _print_pdf(chromium: str, html: str, tmp_path: Path, name: str) -> Path:
    source = tmp_path / f"{name}.html"
    source.write_text(html, encoding="utf-8")
    pdf = tmp_path / f"{name}.pdf"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", source.as_uri()], check=True, capture_output=True, timeout=120)
    return pdf


def test_pdf_made_by_chromium_text_and_ruled_table(tmp_path, chromium_path):
    sentence = "本年度本街道通过政府网站等渠道共主动公开政府信息四十二类事项,合计主动公开政府信息368条,较上年有所增加。" * 3
    html = ("<html><head><meta charset='utf-8'><style>body{font-family:'Noto Sans CJK SC';width:14cm}"
            "td{border:1px solid black;padding:4px}table{border-collapse:collapse}</style></head><body>"
            f"<p>样例街道2021年政府信息公开工作年度报告</p><p>{sentence}</p>"
            "<table><tr><td>信息内容</td><td>本年制发件数</td><td>现行有效件数</td></tr>"
            "<tr><td>规范性文件</td><td>4</td><td>17</td></tr></table></body></html>")
    doc = read_document(_print_pdf(chromium_path, html, tmp_path, "report"))
    assert doc.kind == "pdf"
    assert sentence in doc.text.replace(" ", "")           # lines wrapped by the layout joined again
    assert len(doc.tables) == 1
    assert cell_texts(doc, doc.tables[0]) == [["信息内容", "本年制发件数", "现行有效件数"], ["规范性文件", "4", "17"]]
    assert_spans(doc)


def test_pdf_without_text_layer_is_a_read_error(tmp_path, chromium_path):
    pdf = _print_pdf(chromium_path, "<html><body><div style='width:300px;height:300px;background:#888'></div>"
                     "</body></html>", tmp_path, "scan")
    with pytest.raises(ReadError, match=r"no text layer \(scanned PDF\?\)"):
        read_document(pdf)


def test_real_pdf_table_three_with_merged_cells(corpus_dir):
    doc = read_document(corpus_dir / "full" / "jiangsu_hongze_2024.pdf")
    assert "统计期限自 2024 年 1 月 1 日起至 2024 年 12 月 31 日止" in doc.text
    big = max(doc.tables, key=lambda t: len(t.rows))          # table 三, continued over two pages
    rows = cell_texts(doc, big)
    assert len(rows) == 26 and all(len(r) == 10 for r in rows)
    new = next(r for r in rows if r[0].startswith("一、本年新收"))
    assert new[3] == "95" and new[9] == "95"
    assert rows[1][4:9] == ["法人或其他组织"] * 5                      # colspan expanded
    granted = next(r for r in rows if r[1] == "(一)予以公开")
    assert granted[0].startswith("三、本年度办理结果") and granted[3] == "50"
    assert_spans(doc)


def test_big5_gate_copies_are_converted_to_simplified(corpus_dir):
    doc = read_document(corpus_dir / "pages" / "beijing-shixinfangban_2009_big5.txt")
    assert doc.converted_traditional
    assert "信息公开" in doc.text and "資訊" not in doc.text


def test_normalize_is_idempotent():
    text = "主动公开政府信息１２３条，（一）情况：\r\n信息\n59\n条"
    once = normalize(text)
    assert normalize(once) == once
    assert "(一)" in once and "信息59条" in once
