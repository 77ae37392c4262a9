"""extract.grid: rows of real tables and '|' grid lines, read cell by cell; what the flat reader must not see."""
from __future__ import annotations

import hashlib

from gongkai.extract.grid import MASK, grid_rows, grid_sightings, mask_grids, match_cell, pipe_cells, row_values
from gongkai.extract.rows import row_specs
from gongkai.model import Document
from gongkai.reading import normalize

T3 = [s for s in row_specs() if s.table == "3"]


def doc_of(text: str) -> Document:
    text = normalize(text)
    return Document(path="inline.md", text=text, kind="txt", sha=hashlib.sha256(text.encode()).hexdigest())


def test_pipe_cells_of_markdown_and_web_copies():
    assert [c.text for c in pipe_cells("| 规章 | 0 |  |", 0)] == ["规章", "0", ""]     # a blank cell stays
    assert [c.text for c in pipe_cells("政府集中采购 | 0 | 0 | |", 0)] == ["政府集中采购", "0", "0"]  # padding goes
    line = "| 一、本年新收政府信息公开申请数量 | 7 | 1 |"
    cell = pipe_cells(line, 100)[1]
    assert (cell.text, line[cell.start - 100:cell.end - 100]) == ("7", "7")


def test_a_label_cell_names_a_row_by_phrasing_or_by_ordinal_under_its_group():
    assert match_cell("(二)部分公开(区分处理的，只计这一情形，不计其他情形)", T3, None).row == "out_partially_granted"
    group = match_cell("(三)不予公开", T3, None)
    # a label that lost characters in a PDF ("其他法律行政止公开") is still the second row under its group
    assert match_cell("2.其他法律行政止公开", T3, group).row == "out_denied_law_prohibited"
    assert match_cell("12", T3, None) is None


def test_sightings_labelled_unlabelled_and_with_a_label_in_two_cells():
    text = ("| 自然人 | 商业企业 | 总计 |\n"
            "| 一、本年新收政府信息公开申请数量 | 12 | 2 | 0 | 0 | 1 | 0 | 15 |\n"
            "| 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n"
            "| 缴纳费用、 | 行政机关不再处理其政 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
            "| 行政机关不再处理其政府信息公 | 40 | 1 | 0 | 0 | 2 | 0 | 43 |\n")
    doc = doc_of(text)
    sighted = grid_sightings(grid_rows(doc), T3, (0, len(doc.text)))
    assert [(s.spec.row if s.spec else None, len(s.tokens)) for s in sighted] == [
        ("req_new", 7), (None, 7), ("out_other_fee_unpaid", 7), (None, 7)]
    assert sighted[3].label == "行政机关不再处理其政府信息公" and all(s.apart for s in sighted)


def test_row_values_trim_padding_and_say_why_a_row_does_not_fit():
    cells = [("", 0), ("1", 1), ("0", 3), ("—", 5), ("", 7)]
    values, why = row_values(cells, 3)
    assert [v.number if v else None for v in values] == [1, 0, None] and why == ""
    assert row_values([("22", 0), ("235", 3)], 3) == (None, "2 figures for 3 columns (22 | 235)")
    assert row_values([("x", 0)], 1) == (None, "not a figure: 'x'")


def test_masking_blanks_grids_and_turns_page_footers_into_spaces():
    text = "规章\n0\n0\n— 4 —\n0\n| 行政许可 | 97 |\n第 3 页 共 7 页\n"
    doc = doc_of(text)
    masked = mask_grids(doc, grid_rows(doc))
    assert len(masked) == len(doc.text)
    assert "4" not in masked and "97" not in masked and MASK in masked
    assert masked.split("\n")[3].strip() == "" and masked.split("\n")[6].strip() == ""
    assert masked.split("\n")[:3] == ["规章", "0", "0"]
