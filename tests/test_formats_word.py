"""formats.word: paragraphs and tables of a .docx in document order, merged cells expanded."""
from __future__ import annotations

import pytest

from gongkai.errors import LimitError, ReadError
from gongkai.formats.text import normalize
from gongkai.reading import read_document

from conftest import FIXTURES
from test_formats_layout import assert_spans, cell_texts

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


def _shape(rows, key) -> list[list[int]]:
    """Each grid position as the number of its cell in reading order: the merge pattern of a table."""
    numbers: dict[int, int] = {}
    return [[numbers.setdefault(key(cell), len(numbers)) for cell in row] for row in rows]


@pytest.mark.parametrize("era", ["fmt2021", "fmt2019"])
def test_tables_are_the_grids_python_docx_gives(era):
    """The one-pass layout of w:gridSpan/w:vMerge gives, cell for cell, what python-docx's row.cells gives."""
    import docx
    path = FIXTURES / era / "report.docx"
    theirs = [[list(row.cells) for row in table.rows] for table in docx.Document(path).tables]
    ours = read_document(path).tables
    assert len(ours) == len(theirs) >= 6
    for table, expected in zip(ours, theirs):
        assert _shape(table.rows, id) == _shape(expected, lambda cell: id(cell._tc))
        assert [[c.text.replace(" ", "") for c in row] for row in table.rows] == [
            [normalize(cell.text).replace(" ", "").replace("\n", "") for cell in row] for row in expected]
    assert any(len(set(map(id, row))) < len(row) for table in ours for row in table.rows)      # merges exist


def test_a_cell_spanning_more_than_max_span_columns_is_refused(tmp_path):
    import docx
    document = docx.Document()
    document.add_paragraph("本年度主动公开政府信息12条。")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 1)._tc.get_or_add_tcPr().grid_span = 201
    path = tmp_path / "span.docx"
    document.save(path)
    with pytest.raises(LimitError, match=r"table 1: a cell spans 201 columns, over the 200 limit \(MAX_SPAN\)"):
        read_document(path)
