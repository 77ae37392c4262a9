"""The dataset under faults and hostile names: a corrupt or cut table is refused by every loader with one sentence
naming the file; an unreadable folder or file is an error that keeps its reports; links out of the reports
folder, FIFOs and sockets are skipped; a full disk leaves the dataset and no temp file; absurd figures never
become 'inf'; office ids and brief slugs are bounded and unique; names are escaped once; file names cannot
drive the terminal.

Unreadability is simulated by making os.scandir / Path.read_bytes raise PermissionError (tests run as root in
CI, where chmod 000 changes nothing); a full disk by making os.write and os.fsync raise ENOSPC.
"""
from __future__ import annotations

import errno
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from buildspace import DATASET, make_workspace
from gongkai import charts, store
from gongkai.cli import main
from gongkai.dataset import load
from gongkai.errors import DatasetError
from gongkai.ingest import MAX_FIGURE, ingest, sane_figures
from gongkai.model import Fact, Report, ReportMeta
from gongkai.params import brief_slug
from gongkai.registry import MAX_OFFICE_ID, Registry, load_registry
from gongkai.wording import terminal_safe
from report_texts import report_text, write_reports

PROJECT = Path(__file__).resolve().parents[1]
WAIT = 120                   # seconds a command may take before the test fails (a FIFO read would block forever)


def gongkai(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=PROJECT, env={**os.environ, **(env or {})}, timeout=WAIT)


@pytest.fixture
def data(tmp_path) -> Path:
    shutil.copytree(DATASET, tmp_path / "data")
    return tmp_path / "data"


@pytest.fixture
def reports_dir(tmp_path):
    return write_reports(tmp_path)


def edit(path: Path, change) -> None:
    path.write_bytes(change(path.read_bytes()))


def lines(keep):
    return lambda b: b"".join(keep(b.splitlines(keepends=True)))


# ---- a corrupt dataset is refused by every loader, with one sentence naming the file and the problem

CORRUPTIONS = {
    "facts cut at a row end": ("facts.csv", lines(lambda ls: ls[:25]),
                               r"facts.csv: holds 6 figure\(s\) of report 9238e9894c36 where reports.csv counts 11: "
                               r"facts.csv is cut short or comes from another ingest"),
    "facts cut in a row": ("facts.csv", lambda b: b[:-7], r"facts.csv: the file ends in the middle of a row: it was "
                                                          r"cut short"),
    "reports cut at a row end": ("reports.csv", lines(lambda ls: ls[:-1]),
                                 r"facts.csv: report a1b2c3d4e5f6 is not in reports.csv: reports.csv is cut short"),
    "findings cut at a row end": ("findings.csv", lines(lambda ls: ls[:1] + ls[2:]),
                                  r"findings.csv: holds 0 error finding\(s\) of report ed6e187342f1 where "
                                  r"reports.csv counts 1"),
    "wrong columns": ("facts.csv", lambda b: (DATASET / "reports.csv").read_bytes(),
                      r"facts.csv:1: the header lacks metric, dim, value, unit, qualifier, method, start, end, quote "
                      r"\(a facts.csv has report, office_id, "),
    "a value that is no number": ("facts.csv", lambda b: b.replace(b",267,", b",26x,", 1),
                                  r"facts.csv:2: value '26x' is not a number"),
    "an infinite value": ("facts.csv", lambda b: b.replace(b",267,", b",inf,", 1),
                          r"facts.csv:2: value 'inf' is not a finite number"),
    "an empty value": ("facts.csv", lambda b: b.replace(b",267,", b",,", 1), r"facts.csv:2: value is empty"),
    "a row with a field too many": ("facts.csv", lines(lambda ls: ls[:1] + [ls[1].rstrip(b"\r\n") + b",x\n"] + ls[2:]),
                                    r"facts.csv:2: 15 fields where the header has 14"),
    "a year that is no whole number": ("reports.csv", lambda b: b.replace(b",2017,2017,", b",2017.5,2017,", 1),
                                       r"reports.csv:2: year '2017.5' is not a whole number"),
    "a flag that is no boolean": ("reports.csv", lambda b: b.replace(b",True,", b",yes,", 1),
                                  r"reports.csv:2: full_year 'yes' is not True or False"),
    "a report listed twice": ("reports.csv", lines(lambda ls: ls + ls[1:2]), r"reports.csv: report 523575c62754 is "
                                                                             r"listed twice"),
    "not UTF-8": ("findings.csv", lambda b: b.decode("utf-8").encode("gb18030"),
                  r"findings.csv:2: not UTF-8 text \(invalid start byte\)"),
    "an empty file": ("findings.csv", lambda b: b"", r"findings.csv: the file is empty \(no header row\)"),
    "a malformed office id": ("offices.csv", lambda b: b.replace(b"miyun.guoyuan", b"miyun/../guoyuan"),
                              r"offices.csv: office id 'miyun/../guoyuan' may hold only ASCII letters"),
}


@pytest.mark.parametrize("name", CORRUPTIONS)
def test_load_refuses_a_corrupt_dataset_naming_the_file_and_the_problem(data, name):
    table, change, message = CORRUPTIONS[name]
    load(data)                                                     # whole, it loads
    edit(data / table, change)
    with pytest.raises(DatasetError, match="^" + str(data) + "/" + message):
        load(data)


def test_check_brief_and_build_refuse_a_cut_dataset_with_one_sentence(data, tmp_path):
    edit(data / "facts.csv", lines(lambda ls: ls[:25]))
    sentence = (f"{data / 'facts.csv'}: holds 6 figure(s) of report 9238e9894c36 where reports.csv counts 11: "
                f"facts.csv is cut short or comes from another ingest\n")
    check = gongkai("check", "--data", data)
    assert (check.returncode, check.stdout, check.stderr) == (2, "", "gongkai check: " + sentence)
    brief = gongkai("brief", "office", "--office-id", "xicheng.yuetan", "--years", "2017-2019", "--out",
                    tmp_path / "out", env={"GONGKAI_DATA": str(data)})
    assert (brief.returncode, brief.stdout, brief.stderr) == (1, "", "gongkai brief: " + sentence)
    assert not (tmp_path / "out").exists()                          # refused before any kernel started
    config = make_workspace(tmp_path)                               # its data/ is the cut dataset
    build = gongkai("build", "--config", config)
    assert (build.returncode, build.stdout, build.stderr) == (2, "", "gongkai build: " + sentence)


def test_wrong_columns_are_refused_by_check_and_build_without_a_traceback(data, tmp_path):
    (data / "facts.csv").write_text("report,metric,value\nr1,proactive_items_total,3\n", encoding="utf-8")
    check = gongkai("check", "--data", data)
    assert check.returncode == 2 and check.stderr.startswith(f"gongkai check: {data / 'facts.csv'}:1: the header "
                                                             f"lacks office_id, office, district, year, dim")
    build = gongkai("build", "--config", make_workspace(tmp_path))
    assert build.returncode == 2 and "Traceback" not in build.stderr and len(build.stderr.splitlines()) == 1


# ---- unreadable folders and files: an error, and their reports keep their rows

def deny(monkeypatch, *, folder: Path | None = None, file: Path | None = None) -> None:
    """Make a folder unlistable or a file unopenable, as chmod 000 would for another user than root."""
    if folder is not None:
        real_scandir = os.scandir

        def scandir(path="."):
            if Path(path) == folder:
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real_scandir(path)
        monkeypatch.setattr(os, "scandir", scandir)
    if file is not None:
        real_read = Path.read_bytes

        def read_bytes(self):
            if self == file:
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            return real_read(self)
        monkeypatch.setattr(Path, "read_bytes", read_bytes)


def rows(frame: pd.DataFrame, reports) -> list[tuple]:
    kept = frame[frame["report"].isin(set(reports))]
    return sorted(map(tuple, kept.astype(str).values.tolist()))


def test_an_unreadable_folder_is_an_error_and_keeps_its_reports_rows(reports_dir, tmp_path, monkeypatch, capsys):
    other = reports_dir / "示范区"
    other.mkdir()
    (other / "shifan_2018.txt").write_text(report_text(office="示范街道", year=2018).replace("样例区", "示范区"),
                                           encoding="utf-8")
    data = tmp_path / "data"
    ingest([reports_dir], data)
    before = load(data)
    locked = reports_dir / "样例区"
    old = set(before.reports.loc[before.reports["source"].str.contains("样例区/"), "report"])
    assert len(old) == 3
    deny(monkeypatch, folder=locked)
    status = main(["ingest", str(reports_dir), "--data", str(data)])
    out = capsys.readouterr().out.splitlines()
    assert status == 1
    assert out[1:3] == [f"  error: {locked}: cannot read the folder: Permission denied",
                        "  error: 3 report(s) of what could not be read kept as the previous ingest left them"]
    after = load(data)
    assert set(after.reports["report"]) == set(before.reports["report"])
    assert rows(after.facts, old) == rows(before.facts, old)
    assert rows(after.findings, old) == rows(before.findings, old)
    assert rows(after.reports, old) == rows(before.reports, old)


def test_an_unreadable_file_is_an_error_and_keeps_its_rows(reports_dir, tmp_path, monkeypatch):
    data = tmp_path / "data"
    ingest([reports_dir], data)
    before = load(data)
    locked = reports_dir / "样例区" / "yangli_2016.txt"
    deny(monkeypatch, file=locked)
    summary = ingest([reports_dir], data)
    assert summary.unreadable == [(str(locked), "cannot open: Permission denied")] and summary.kept == 1
    after = load(data)
    assert rows(after.facts, before.reports["report"]) == rows(before.facts, before.reports["report"])


def test_without_a_record_of_the_files_every_previous_report_is_kept(reports_dir, tmp_path, monkeypatch):
    data = tmp_path / "data"
    ingest([reports_dir], data)
    (data / store.SOURCES).unlink()                       # a dataset from git has no record of local files
    deny(monkeypatch, file=reports_dir / "样例区" / "yangli_2016.txt")
    summary = ingest([reports_dir / "样例区" / "yangli_2017.txt", reports_dir / "样例区" / "yangli_2016.txt"], data)
    assert summary.reports == 3 and summary.kept == 2
    assert summary.notes == ["no record of the files the previous 3 report(s) came from: the 2 not read this time "
                             "were kept"]


# ---- links out of the folder, FIFOs, sockets: skipped with a message, never read

def test_links_out_of_the_folder_fifos_and_sockets_are_skipped(reports_dir, tmp_path):
    folder = reports_dir / "样例区"
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "outside").symlink_to(tmp_path)
    (folder / "inside.txt").symlink_to(folder / "yangli_2017.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    os.mkfifo(folder / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.txt"))
    try:
        result = gongkai("ingest", reports_dir, "--data", tmp_path / "data")
    finally:
        sock.close()
    assert result.returncode == 0, result.stderr
    skipped = [line for line in result.stdout.splitlines() if line.startswith("  skipped: ")]
    assert sorted(skipped) == sorted([
        f"  skipped: {folder / 'yangli_2017.txt'}: same content as {folder / 'inside.txt'}",
        f"  skipped: {folder / 'loop.txt'}: a link to nothing (or a loop of links): not read",
        f"  skipped: {folder / 'outside'}: a link to {tmp_path}, outside the reports folder: not read",
        f"  skipped: {folder / 'passwd.txt'}: a link to /etc/passwd, outside the reports folder: not read",
        f"  skipped: {folder / 'pipe.txt'}: a FIFO, not a regular file: not read",
        f"  skipped: {folder / 'sock.txt'}: a socket, not a regular file: not read",
        f"  skipped: {folder / 'zero.txt'}: a link to /dev/zero, outside the reports folder: not read"])
    ds = load(tmp_path / "data")
    assert len(ds.reports) == 3 and not ds.reports["source"].str.contains("passwd|zero|pipe").any()


def test_a_fifo_given_by_name_is_skipped_not_waited_on(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    result = gongkai("ingest", tmp_path / "pipe.txt", "--data", tmp_path / "data")
    assert result.returncode == 1
    assert result.stderr.startswith(f"gongkai ingest: no report could be read under {tmp_path / 'pipe.txt'}")


# ---- a full disk: one sentence, the dataset as it was, no temp file anywhere

def test_a_full_disk_during_ingest_leaves_the_dataset_and_no_temp_files(reports_dir, tmp_path, monkeypatch, capsys,
                                                                        caplog):
    data = tmp_path / "data"
    ingest([reports_dir], data)
    before = {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()}
    cache = sorted(p.name for p in (data / ".cache").iterdir())
    writes = []

    def full(*args):
        writes.append(args[0])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)           # the extraction cache writes with os.write
    monkeypatch.setattr(os, "fsync", full)           # the tables are fsynced before they replace the old ones
    status = main(["ingest", str(reports_dir), "--data", str(data), "--force"])
    err = capsys.readouterr().err
    assert status == 1
    assert err == (f"gongkai ingest: cannot write the dataset in {data}: No space left on device; the previous "
                   f"dataset was left as it was\n")
    assert [r.getMessage() for r in caplog.records if "extraction cache" in r.getMessage()] == [
        f"cannot write the extraction cache in {data / '.cache'} (No space left on device): files of this run are "
        f"not cached"]
    assert len([w for w in writes if isinstance(w, int)]) <= 2      # one cache write tried, not one per file
    assert {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in (data / ".cache").iterdir()) == cache


# ---- numbers: an absurd figure is a finding, never 'inf'

def test_a_figure_beyond_the_sane_range_is_left_out_with_a_finding():
    facts = [Fact("proactive_items_total", float("inf"), "条", 0, 9, "共主动公开政府信息999…条"),
             Fact("proactive_items_by_category", 2e12, "条", 10, 19, "工作动态2000000000000条", dim="work_updates"),
             Fact("req_new", 3.0, "件", 20, 25, "申请3件")]
    report = Report(report="r1", source="a.txt", path="a.txt", meta=ReportMeta(), facts=facts)
    findings = sane_figures(report)
    assert [f.metric for f in report.facts] == ["req_new"]
    assert [(f.check, f.severity, f.metric, f.message) for f in findings] == [
        ("absurd", "warning", "proactive_items_total",
         'absurd figure left out: proactive_items_total "共主动公开政府信息999…条" is beyond 10^12'),
        ("absurd", "warning", "proactive_items_by_category",
         'absurd figure left out: proactive_items_by_category "工作动态2000000000000条" is beyond 10^12')]
    assert MAX_FIGURE == 1e12 and store.csv_value(float("inf")) == ""


def test_a_huge_numeral_never_reaches_the_dataset_as_inf(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "huge.txt").write_text(report_text(total=int("9" * 400)), encoding="utf-8")
    summary = ingest([folder], tmp_path / "data")
    assert summary.reports == 1 and summary.failed == []
    ds = load(tmp_path / "data")
    assert "inf" not in (tmp_path / "data" / "facts.csv").read_text(encoding="utf-8").lower()
    assert (ds.facts["value"].abs() <= MAX_FIGURE).all() and len(ds.facts) > 0
    assert "proactive_items_total" not in set(ds.facts["metric"])            # the misread total is left out,
    assert "absurd" in set(ds.findings["check"])                             # and said so


# ---- names: office ids, brief slugs, labels, terminal output

def test_office_ids_that_differ_only_in_punctuation_are_refused_naming_both(data, reports_dir):
    registry = data / "offices.csv"
    registry.write_text(registry.read_text(encoding="utf-8") + "xicheng-yuetan,月坛街道二,,西城区,street\n",
                        encoding="utf-8")
    message = (f"{registry}: office ids 'xicheng.yuetan' and 'xicheng-yuetan' differ only in punctuation or case, "
               f"so their briefs would share one file name: rename one")
    with pytest.raises(DatasetError) as caught:
        load_registry(registry)
    assert str(caught.value) == message
    with pytest.raises(DatasetError, match="differ only in punctuation"):
        load(data)
    result = gongkai("ingest", reports_dir, "--data", data)
    assert (result.returncode, result.stderr) == (1, f"gongkai ingest: {message}\n")


def test_an_office_id_is_at_most_80_safe_characters(tmp_path):
    registry = tmp_path / "offices.csv"
    registry.write_text("office_id,name,aliases,district,kind\n" + "a" * 81 + ",甲街道,,甲区,street\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=f"office id '{'a' * 40}'… is 81 characters long \\(at most 80\\)"):
        load_registry(registry)
    long_name = "很长的名字" * 40 + "街道办事处"
    made = Registry().new_office(long_name, "样例区")
    assert len(made.office_id) <= MAX_OFFICE_ID and made.office_id.startswith("yangli.hen")
    assert Registry().new_office(long_name, "样例区").office_id == made.office_id          # deterministic


def test_brief_slugs_are_bounded_and_unique():
    long_ids = ["x" * 300, "x" * 299 + "y"]
    slugs = [brief_slug("office", {"office_id": o, "years": "2017"}) for o in long_ids]
    assert len(set(slugs)) == 2 and all(len(s) <= 100 for s in slugs)
    assert brief_slug("office", {"office_id": "xicheng.yuetan", "years": "2017"}) == "office-xicheng-yuetan-2017"
    gaps = brief_slug("office", {"office_id": "a.b", "years": list(range(1900, 2100, 2))})
    assert len(gaps) <= 100 and gaps.startswith("office-a-b-1900-2098-y")


def test_a_quote_mark_in_an_office_name_shows_as_itself_in_chart_labels():
    names = charts.office_labels(pd.DataFrame({"office_id": ["a.b", "a.c"],
                                               "office": ['"新"街道', "<b>x</b>&街道"]}))
    assert names.tolist() == ['"新"街道', "&lt;b&gt;x&lt;/b&gt;&amp;街道"]        # escaped once: &, <, > only


def test_terminal_control_characters_in_file_names_are_printed_escaped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(report_text(), encoding="utf-8")
    (folder / "evil\x1b[2J\x07.xyz").write_bytes(b"a,b\n")
    result = gongkai("ingest", folder, "--data", tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout + result.stderr and "\x07" not in result.stdout
    assert f"  failed: {folder}/evil\\x1b[2J\\x07.xyz: unknown extension .xyz" in result.stdout.splitlines()[1]
    assert terminal_safe("a\u202eb\nc") == "a\\u202eb\\x0ac"
    assert terminal_safe("line 1\nline\x9b2", keep_newlines=True) == "line 1\nline\\x9b2"
