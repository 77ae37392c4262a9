"""The fixture reports give the same table facts whether read from .txt ('|' lines), .html (<table> with
rowspan/colspan) or .docx (a Word table with merged cells)."""
from __future__ import annotations

import sys

import pytest

from gongkai.extract.tables import table_facts
from gongkai.model import ReportMeta
from gongkai.reading import read_document

from conftest import FIXTURES


def table_set(path) -> set[tuple[str, str, float]]:
    doc = read_document(path)
    facts = table_facts(doc, ReportMeta())
    for fact in facts:
        assert fact.quote and fact.end > fact.start, fact
    return {(f.metric, f.dim, f.value) for f in facts}


@pytest.mark.parametrize("era, expected_size", [("fmt2021", 199), ("fmt2019", 198)])
def test_same_table_facts_from_txt_html_docx(era, expected_size):
    folder = FIXTURES / era
    from_txt = table_set(folder / "report.txt")
    assert len(from_txt) == expected_size
    assert table_set(folder / "report.html") == from_txt
    assert table_set(folder / "report.docx") == from_txt


def test_html_and_docx_are_real_tables():
    for name in ("report.html", "report.docx"):
        doc = read_document(FIXTURES / "fmt2021" / name)
        assert len(doc.tables) == 6, name           # four 第二十条 sub-tables, table 三, table 四
        requests = doc.tables[4]
        assert len(requests.rows) == 28 and {len(r) for r in requests.rows} == {10}
        # the 三、本年度办理结果 label spans all outcome rows: the same Cell on every one of them
        group = requests.rows[5][0]
        assert group.text == "三、本年度办理结果"
        assert all(row[0] is group for row in requests.rows[5:27]) and requests.rows[27][0] is not group


def test_fixtures_are_generated_from_the_txt(tmp_path):
    """make_fixtures.py reproduces the committed .html from report.txt."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    make = importlib.util.module_from_spec(spec)
    sys.modules["make_fixtures"] = make
    spec.loader.exec_module(make)
    for era in ("fmt2021", "fmt2019"):
        parts = make.blocks((FIXTURES / era / "report.txt").read_text(encoding="utf-8"))
        assert make.to_html(parts) == (FIXTURES / era / "report.html").read_text(encoding="utf-8")
