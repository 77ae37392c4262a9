"""formats.pdf: text layer and ruled tables of a PDF; pages capped; a scan or a locked file says so."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gongkai.errors import LimitError, ReadError
from gongkai.formats import limits
from gongkai.reading import read_document

from test_formats_layout import assert_spans, cell_texts

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


def test_pages_past_the_cap_are_refused(tmp_path, chromium_path, monkeypatch):
    html = "<html><body>" + "".join(f"<p style='page-break-after:always'>第{i}页主动公开政府信息{i}条</p>"
                                    for i in range(3)) + "</body></html>"
    pdf = _print_pdf(chromium_path, html, tmp_path, "three")
    assert "主动公开政府信息2条" in read_document(pdf).text
    monkeypatch.setattr(limits, "MAX_PDF_PAGES", 2)
    with pytest.raises(LimitError, match="the PDF has more than 2 pages, the MAX_PDF_PAGES limit"):
        read_document(pdf)
