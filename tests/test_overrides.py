"""overrides: reviewed corrections replace, add or remove figures (method 'manual') and survive re-ingest."""
from __future__ import annotations

import pytest

from gongkai.dataset import load
from gongkai.ingest import ingest
from gongkai.overrides import apply_overrides, read_overrides
from report_texts import write_reports

REPORTS = {"r1": {"report": "r1", "office_id": "yangli.yangli", "office": "样例街道", "district": "样例区", "year": 2017}}


def fact(metric: str, value: float, dim: str = "", year: int = 2017, report: str = "r1") -> dict:
    return {"report": report, "office_id": "yangli.yangli", "office": "样例街道", "district": "样例区", "year": year,
            "metric": metric, "dim": dim, "value": value, "unit": "条", "qualifier": "exact", "method": "text",
            "start": 10, "end": 20, "quote": f"{metric} {value:g}"}


def override(metric: str, value: str, dim: str = "", year: str = "", note: str = "", report: str = "r1") -> dict:
    return {"report": report, "metric": metric, "dim": dim, "year": year, "value": value, "note": note}


def test_read_overrides_strips_cells_and_skips_incomplete_rows(tmp_path):
    path = tmp_path / "overrides.csv"
    path.write_text("report,metric,dim,year,value,note\n"
                    " r1 , proactive_items_total ,, ,125, checked \n"
                    ",proactive_items_total,,,1,no report\n"
                    "r1,,,,1,no metric\n", encoding="utf-8")
    assert read_overrides(path) == [override("proactive_items_total", "125", note="checked")]
    assert read_overrides(tmp_path / "missing.csv") == []


def test_a_value_replaces_the_figure_and_becomes_manual():
    facts, notes = apply_overrides([fact("proactive_items_total", 120), fact("req_new", 3, "total")], REPORTS,
                                   [override("proactive_items_total", "125", note="checked against the print")])
    assert notes == []
    assert [(f["metric"], f["value"], f["method"], f["quote"], f["start"]) for f in facts] == [
        ("proactive_items_total", 125.0, "manual", "checked against the print", 10),
        ("req_new", 3, "text", "req_new 3", 10)]


def test_a_new_figure_is_added_with_the_reports_office_and_year_and_the_metrics_unit():
    facts, _ = apply_overrides([], REPORTS, [override("consultations_total", "40"),
                                             override("proactive_items_total", "80", year="2016")])
    assert [(f["metric"], f["year"], f["value"], f["unit"], f["office_id"], f["quote"]) for f in facts] == [
        ("consultations_total", 2017, 40.0, "人次", "yangli.yangli", "reviewed correction"),
        ("proactive_items_total", 2016, 80.0, "条", "yangli.yangli", "reviewed correction")]


def test_an_empty_value_removes_only_that_figure():
    facts, _ = apply_overrides([fact("proactive_items_by_category", 20, "notices"),
                                fact("proactive_items_by_category", 100, "work_updates")], REPORTS,
                               [override("proactive_items_by_category", "", dim="notices")])
    assert [(f["dim"], f["value"]) for f in facts] == [("work_updates", 100)]


def test_overrides_that_cannot_apply_are_noted_not_raised():
    facts, notes = apply_overrides([fact("proactive_items_total", 120)], REPORTS,
                                   [override("proactive_items_total", "1", report="nope"),
                                    override("proactive_items_total", "about 12")])
    assert facts == [fact("proactive_items_total", 120)]
    assert notes == ["override for unknown report nope (proactive_items_total) not applied",
                     "override r1 proactive_items_total: value 'about 12' is not a number"]


def test_a_long_note_is_cut_to_a_quote():
    facts, _ = apply_overrides([fact("proactive_items_total", 120)], REPORTS,
                               [override("proactive_items_total", "125", note="核" * 100)])
    assert facts[0]["quote"] == "核" * 80


@pytest.mark.parametrize("round_", [1, 2])
def test_overrides_win_over_extraction_and_survive_reingest(tmp_path, round_):
    reports, data = write_reports(tmp_path), tmp_path / "data"
    ingest([reports], data)
    facts = load(data).facts
    rid = facts[(facts.office == "样例街道") & (facts.year == 2017)].iloc[0]["report"]
    (data / "overrides.csv").write_text(
        "report,metric,dim,year,value,note\n"
        f"{rid},proactive_items_total,,,125,checked against the printed report\n"
        f"{rid},proactive_items_by_category,notices,,,not stated as such\n"
        f"{rid},complaints_total,,2017,0,stated in section six\n"
        "000000000000,complaints_total,,2017,0,a report that is not there\n", encoding="utf-8")
    for _ in range(round_):
        summary = ingest([reports], data)
    assert summary.notes == ["override for unknown report 000000000000 (complaints_total) not applied"]
    mine = load(data).facts.query("report == @rid").set_index(["metric", "dim"])
    assert mine.loc[("proactive_items_total", ""), ["value", "method", "quote"]].tolist() == [
        125, "manual", "checked against the printed report"]
    assert mine.loc[("complaints_total", ""), ["value", "method", "year"]].tolist() == [0, "manual", 2017]
    assert ("proactive_items_by_category", "notices") not in mine.index
    assert mine.loc[("proactive_items_by_category", "work_updates"), "value"] == 100
