"""cli/data.py: the data commands in-process — what they print, where, and the exit status they return."""
from __future__ import annotations

import argparse
import csv
import shutil
from pathlib import Path

import pytest

from gongkai.cli import main
from gongkai.cli.data import summary_lines
from gongkai.ingest import IngestSummary
from report_texts import write_reports


def test_summary_lines_name_every_failed_skipped_and_new_file():
    summary = IngestSummary(data_dir=Path("data"), files=5, reports=2, extracted=1, cached=1, facts=9, errors=1,
                            warnings=3, failed=[("in/a.xyz", "unknown extension .xyz")],
                            duplicates=[("in/copy.txt", "in/b.txt")],
                            new_offices=[("yangli.yangli", "样例街道", "样例区"), ("unknown.x", "某局", "")],
                            notes=["override for unknown report r9 (req_new) not applied"])
    assert summary_lines(summary) == [
        "ingested 2 report(s) of 5 file(s) into data (1 extracted, 1 unchanged): 9 facts, 1 error and 3 warning "
        "finding(s)",
        "  failed: in/a.xyz: unknown extension .xyz",
        "  skipped: in/copy.txt: same content as in/b.txt",
        "  new office (not in offices.csv): yangli.yangli 样例街道 (样例区)",
        "  new office (not in offices.csv): unknown.x 某局 (district unknown)",
        "  note: override for unknown report r9 (req_new) not applied",
        "2 office(s) not in data/offices.csv yet: check these lines (kind is guessed from the name: street, town, "
        "area_office, district_government or department), then register them with `gongkai offices add` or paste "
        "them into offices.csv:",
        "unknown.x,某局,,,department",
        "yangli.yangli,样例街道,,样例区,street"]


def test_ingest_prints_its_summary_on_stdout_and_nothing_else(tmp_path, capsys):
    reports = write_reports(tmp_path)
    (reports / "样例区" / "bad.xyz").write_text("?", encoding="utf-8")
    assert main(["ingest", str(reports), "--data", str(tmp_path / "data")]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == (f"ingested 3 report(s) of 4 file(s) into {tmp_path / 'data'} (3 extracted, 0 unchanged): "
                        "15 facts, 0 error and 0 warning finding(s)")
    assert lines[1].startswith(f"  failed: {reports / '样例区' / 'bad.xyz'}: unknown extension .xyz")
    assert err == ""


def test_ingest_lists_new_offices_and_offices_add_registers_them(corpus_dir, tmp_path, capsys):
    reports = tmp_path / "in"
    reports.mkdir()
    for name in ("shanghai_kewei_2024.md", "shanghai_bangongting_2025.md"):
        shutil.copy(corpus_dir / "full" / name, reports)
    (reports / "说明.txt").write_text("这些是上海市的报告。", encoding="utf-8")       # no report: no office
    data = tmp_path / "data"
    data.mkdir()
    (data / "offices.csv").write_text("office_id,name,aliases,district,kind\n", encoding="utf-8")
    assert main(["ingest", str(reports), "--data", str(data)]) == 0
    lines = capsys.readouterr().out.splitlines()
    pasted = ["shanghai.kexuejishuweiyuanhui,上海市科学技术委员会,,上海市,department",
              "shanghai.renminzhengfubangongting,上海市人民政府办公厅,,上海市,department"]
    assert lines[-3].startswith(f"2 office(s) not in {data / 'offices.csv'} yet: check these lines")
    assert lines[-2:] == pasted
    with (data / "reports.csv").open(encoding="utf-8") as f:
        filed = {Path(r["source"]).name: r["office_id"] for r in csv.DictReader(f)}
    assert filed["说明.txt"] == ""
    assert main(["offices", "new", "--data", str(data)]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == pasted
    assert main(["offices", "add", "shanghai.nowhere", "--data", str(data)]) == 1
    assert "not an unregistered office" in capsys.readouterr().err
    assert main(["offices", "add", "shanghai.kexuejishuweiyuanhui", "--data", str(data)]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [f"added 1 office(s) to {data / 'offices.csv'}:", pasted[0]]
    assert main(["offices", "add", "--data", str(data)]) == 0
    assert (data / "offices.csv").read_text(encoding="utf-8").splitlines()[1:] == pasted
    capsys.readouterr()
    assert main(["offices", "new", "--data", str(data)]) == 0
    assert capsys.readouterr().out.startswith("every office of")


def test_offices_add_from_edited_lines(tmp_path, monkeypatch, capsys):
    import io
    (tmp_path / "offices.csv").write_text("office_id,name,aliases,district,kind\n", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("pingtan.jinjingpianqu,金井片区管理局,金井片区,平潭综合实验区,area_office\n"))
    assert main(["offices", "add", "--from", "-", "--data", str(tmp_path)]) == 0
    assert "pingtan.jinjingpianqu,金井片区管理局,金井片区,平潭综合实验区,area_office" in \
        (tmp_path / "offices.csv").read_text(encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("pingtan.x,某局,,平潭综合实验区,bureau\n", encoding="utf-8")
    assert main(["offices", "add", "--from", str(bad), "--data", str(tmp_path)]) == 1
    assert capsys.readouterr().err.startswith("gongkai offices add: line 1: kind 'bureau' unknown")


def test_check_prints_one_line_per_finding_and_a_count(tmp_path, capsys):
    reports = write_reports(tmp_path)
    (reports / "样例区" / "yangli_2017.txt").write_text(
        (reports / "样例区" / "yangli_2017.txt").read_text(encoding="utf-8").replace("工作动态100条", "工作动态90条"),
        encoding="utf-8")
    main(["ingest", str(reports), "--data", str(tmp_path / "data")])
    capsys.readouterr()
    assert main(["check", "--data", str(tmp_path / "data")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and out[0].startswith("warning P-1            ")
    assert out[0].endswith("yangli_2017.txt: P-1: proactive_items_total 120, but Σ proactive_items_by_category 110")
    assert out[1] == "3 report(s): 0 error(s), 1 warning(s)"
    assert main(["check", "--data", str(tmp_path / "data"), "--severity", "error"]) == 0
    assert capsys.readouterr().out == "3 report(s): 0 error(s), 1 warning(s)\n"


def test_extract_goes_on_after_a_bad_file_and_returns_1(tmp_path, capsys):
    reports = write_reports(tmp_path)
    good = reports / "样例区" / "yangli_2016.txt"
    assert main(["extract", str(tmp_path / "nope.txt"), str(good)]) == 1
    out, err = capsys.readouterr()
    assert err == f"gongkai extract: {tmp_path / 'nope.txt'}: cannot open: No such file or directory\n"
    assert [line.split(",")[5:8] for line in out.splitlines()[1:]] == [
        ["proactive_items_total", "", "90"], ["proactive_items_by_category", "work_updates", "80"],
        ["proactive_items_by_category", "notices", "10"], ["req_new", "total", "3"], ["out_granted", "total", "3"]]


def test_sample_command_prints_what_it_built(corpus_dir, tmp_path, capsys):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir / "seeds", corpus / "seeds")
    (corpus / "pages").mkdir()
    assert main(["sample", "--corpus", str(corpus), "--data", str(tmp_path / "data")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"2 Beijing reports, 2 office(s) added to {tmp_path / 'data' / 'offices.csv'}",
                   f"ingested 2 report(s) of 2 file(s) into {tmp_path / 'data'} (2 extracted, 0 unchanged): 25 facts, "
                   "0 error and 3 warning finding(s)"]


def test_sample_command_without_a_corpus_returns_1(tmp_path, capsys):
    assert main(["sample", "--corpus", str(tmp_path), "--data", str(tmp_path / "data")]) == 1
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"gongkai sample: no corpus at {tmp_path} (expected pages/ and seeds/ there)\n")


def test_the_data_commands_are_the_functions_of_cli_data():
    from gongkai import cli
    from gongkai.cli import data
    assert {name: cli.COMMANDS[name] for name in ("ingest", "extract", "check", "sample", "offices")} == {
        "ingest": data.ingest_command, "extract": data.extract_command, "check": data.check_command,
        "sample": data.sample_command, "offices": data.offices_command}


@pytest.mark.parametrize("argv, parsed", [(["ingest", "a", "b", "--force"], {"dirs": ["a", "b"], "force": True}),
                                          (["check", "--severity", "error"], {"severity": "error", "data": None}),
                                          (["extract", "x.txt", "--format", "json"], {"files": ["x.txt"]}),
                                          (["sample", "--corpus", "c"], {"corpus": "c", "force": False})])
def test_main_parses_and_returns_the_commands_status(argv, parsed, monkeypatch):
    from gongkai import cli
    seen: list[argparse.Namespace] = []
    monkeypatch.setitem(cli.COMMANDS, argv[0], lambda args: seen.append(args) or 7)
    assert main(argv) == 7
    assert {k: getattr(seen[0], k) for k in parsed} == parsed
