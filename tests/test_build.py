"""gongkai build: config validation, incremental plans, real parallel builds, failures, SIGTERM, Dask.

The builds run the project's real notebooks through the real renderer (papermill + nbconvert on the
`gongkai` kernel) over tests/fixtures/dataset_small, copied per test; tests/fixtures/notebooks/broken.ipynb
raises in its second cell. One module-scoped build is copied into the tests that start from a built state.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from gongkai.build import plan, run_build
from gongkai.buildconfig import load_config
from gongkai.buildindex import read_manifest, render_index
from gongkai.buildworker import RenderTask, is_kernel_start_failure, render_task
from gongkai.cli import main as cli_main
from gongkai.errors import BriefError, ConfigError

TESTS = Path(__file__).resolve().parent
PROJECT_ROOT = TESTS.parent
DATASET = TESTS / "fixtures" / "dataset_small"
FIXTURE_NOTEBOOKS = TESTS / "fixtures" / "notebooks"
BUILD_TIME = re.compile(rb'<time class="gongkai-build-time">[^<]*</time>')

# 4 briefs: a district brief showing two offices, and three office briefs in two districts.
MAIN_CONFIG = """\
output: out
data: data
briefs:
  - kind: district
    district: 西城区
    offices: [xicheng.yuetan, xicheng.jinrongjie]
    years: all
  - kind: office
    offices: [xicheng.yuetan, xicheng.hostile1]
    years: 2017-2019
  - kind: office
    district: 密云区
    offices: all
"""
MAIN_NAMES = {"district/district-xicheng-2017-2019-o", "office/office-xicheng-yuetan-2017-2019",
              "office/office-xicheng-hostile1-2017-2019", "office/office-miyun-guoyuan-2017"}


def make_workspace(root: Path, config: str = MAIN_CONFIG, name: str = "briefs.yaml") -> Path:
    """A dataset copy, the fixture notebooks and a config in root; returns the config path."""
    if not (root / "data").exists():
        shutil.copytree(DATASET, root / "data")
        shutil.copytree(FIXTURE_NOTEBOOKS, root / "nb")
    path = root / name
    path.write_text(config, encoding="utf-8")
    return path


def names(items) -> set[str]:
    """Brief names, with the district brief's office-list hash cut to '-o' so tests need not know it."""
    return {re.sub(r"-o[0-9a-f]{8}$", "-o", getattr(i, "name", i)) for i in items}


def build(config: Path, *args: str) -> tuple[int, str]:
    """Run `gongkai build` in a fresh interpreter (as cron would); returns (exit status, stdout+stderr)."""
    proc = subprocess.run([sys.executable, "-m", "gongkai.cli", "build", "--config", str(config), *args],
                          capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout + proc.stderr


def html_files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.glob("*/*.html"))}


def touch_fact(data: Path, office_id: str) -> None:
    """Correct one figure of an office in facts.csv (its first row's value + 1)."""
    path = data / "facts.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    row = next(r for r in rows[1:] if r[1] == office_id)
    row[7] = str(int(float(row[7])) + 1)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("built")
    status, output = build(make_workspace(root), "-j", "2")
    assert status == 0, output
    return root


@pytest.fixture
def built(built_once: Path, tmp_path: Path) -> Path:
    """A private copy of the module's built workspace (data, notebooks, config, outputs)."""
    root = tmp_path / "ws"
    shutil.copytree(built_once, root)
    return root


# --- config ---------------------------------------------------------------------------------------

def test_config_expands_offices_and_years(tmp_path):
    config = load_config(make_workspace(tmp_path, textwrap.dedent("""\
        data: data
        briefs:
          - kind: district
            district: 西城区
            years: last 2 years
          - kind: office
            district: 西城区
            offices: all
            years: 2017-2018
        """)))
    district, *offices = config.briefs
    assert district.params == {"district": "西城区", "years": [2018, 2019], "offices": [], "lang": "zh"}
    assert set(district.offices) == {"xicheng.yuetan", "xicheng.jinrongjie", "xicheng.hostile1", "xicheng.hostile2"}
    # hostile2 has no 2017 report: its brief still spans 2017-2018 (the gap shows); every office gets one,
    # the district government too (its district-wide report is left out of the district brief's comparison)
    assert {o.params["office_id"]: o.params["years"] for o in offices} == {
        "xicheng.yuetan": [2017, 2018], "xicheng.jinrongjie": [2017, 2018], "xicheng.hostile1": [2017, 2018],
        "xicheng.hostile2": [2017, 2018], "xicheng.quzhengfu": [2017, 2018]}
    # an office without any report in the window gets no brief under `offices: all`
    only_2017 = load_config(make_workspace(tmp_path, "data: data\nbriefs:\n  - kind: office\n    district: 西城区\n"
                                                     "    years: 2017\n"))
    assert {b.office_id for b in only_2017.briefs} == {"xicheng.yuetan", "xicheng.jinrongjie", "xicheng.hostile1",
                                                       "xicheng.quzhengfu"}
    assert config.output_dir == (PROJECT_ROOT / "outputs").resolve()
    assert district.notebook == PROJECT_ROOT / "notebooks" / "district_brief.ipynb"


def test_the_shipped_config_builds_a_district_and_its_offices():
    config = load_config()                     # briefs.yaml at the project root, over the sample data
    kinds = [b.kind for b in config.briefs]
    assert kinds.count("district") == 1 and kinds.count("office") >= 15
    district = config.briefs[0]
    assert district.params["district"] == "西城区" and len(district.params["years"]) >= 3
    assert {b.district for b in config.briefs} == {"西城区"}


@pytest.mark.parametrize("body, line, words", [
    ("briefs:\n  - kind: district\n    district: 西城区\n    colour: red\n", 4, "unknown key 'colour'"),
    ("outputs: out\nbriefs:\n  - kind: district\n    district: 西城区\n", 1, "unknown key 'outputs'"),
    ("briefs:\n  - kind: office\n    offices:\n      - xicheng.yuetan\n      - xicheng.nowhere\n", 5,
     "unknown office 'xicheng.nowhere'"),
    ("briefs:\n  - kind: district\n    district: 西城区\n  - kind: office\n    offices: [miyun.guoyuan]\n"
     "    notebook: nb/missing.ipynb\n", 6, "notebook not found"),
    ("briefs:\n  - kind: district\n    district: 东城区\n", 3, "unknown district '东城区'"),
    ("briefs:\n  - kind: district\n    district: 西城区\n    years: 2019-2017\n", 4, "runs backwards"),
    ("briefs:\n  - kind: district\n    district: 西城区\n    years: 2001-2005\n", 4, "no report of 西城区"),
    ("briefs:\n  - kind: street\n", 2, "kind must be one of"),
    ("briefs:\n  - kind: district\n    district: 西城区\n    district: 密云区\n", 4, "duplicate key"),
    ("briefs:\n  - kind: office\n    district: 西城区\n    offices: [miyun.guoyuan]\n", 4, "is in 密云区"),
])
def test_config_errors_name_the_line(tmp_path, body, line, words):
    with pytest.raises(ConfigError) as caught:
        load_config(make_workspace(tmp_path, "data: data\n" + body))
    assert caught.value.line == line + 1, str(caught.value)      # +1: the data: line above
    assert words in str(caught.value)
    assert f"briefs.yaml:{line + 1}:" in str(caught.value)


def test_bad_config_exits_2(tmp_path, capsys):
    config = make_workspace(tmp_path, "data: data\nbriefs:\n  - kind: office\n    offices: [nobody]\n")
    assert cli_main(["build", "--config", str(config)]) == 2
    assert "briefs.yaml:4: unknown office 'nobody'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# --- plans and hashes (no rendering) ---------------------------------------------------------------

def test_input_hashes_follow_the_offices_a_brief_uses(built):
    config = load_config(built / "briefs.yaml")
    previous = read_manifest(built / "out" / "manifest.json")
    assert not [p for p in plan(config, previous) if p.reason]
    # hostile1 is not shown in the district brief, but it is in the district median of every office brief
    touch_fact(built / "data", "xicheng.hostile1")
    changed = [p for p in plan(load_config(built / "briefs.yaml"), previous) if p.reason]
    assert names(changed) == {"office/office-xicheng-yuetan-2017-2019", "office/office-xicheng-hostile1-2017-2019"}
    # row order in a table does not matter
    facts = built / "data" / "facts.csv"
    header, *rows = facts.read_text(encoding="utf-8").splitlines()
    facts.write_text("\n".join([header, *reversed(rows)]) + "\n", encoding="utf-8")
    assert names(p for p in plan(load_config(built / "briefs.yaml"), previous) if p.reason) == names(changed)


# --- real builds -----------------------------------------------------------------------------------

def test_build_produces_every_brief_and_the_index(built_once):
    out = built_once / "out"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert names(e["name"] for e in manifest["briefs"]) == MAIN_NAMES
    for entry in manifest["briefs"]:
        html = (out / entry["html"]).read_bytes()
        assert entry["status"] == "built" and entry["size"] == len(html)
        assert html.rstrip().endswith(b"</html>") and b"plotly" in html
    years = {e["office_id"]: e["years"] for e in manifest["briefs"]}
    assert years == {None: [2017, 2018, 2019], "xicheng.yuetan": [2017, 2018, 2019],
                     "xicheng.hostile1": [2017, 2018, 2019], "miyun.guoyuan": [2017]}
    index = (out / "index.html").read_text(encoding="utf-8")
    for entry in manifest["briefs"]:
        assert f'href="{entry["html"]}"' in index
    assert "&lt;script&gt;alert(1)&lt;/script&gt;街道" in index and "<script>" not in index
    assert "http://" not in index and "https://" not in index
    logs = list((out / "_logs").glob("build-*.log"))
    assert len(logs) == 1 and "[4/4] built" in logs[0].read_text(encoding="utf-8")


def test_second_run_rebuilds_nothing_and_imports_no_jupyter(built):
    out = built / "out"
    before = {p: p.stat().st_mtime_ns for p in out.glob("*/*.html")}
    probe = ("import sys; from gongkai.cli import main; status = main(['build', '--config', sys.argv[1]]); "
             "print('heavy', [m for m in ('pandas', 'papermill', 'nbconvert', 'nbclient', 'plotly') "
             "if m in sys.modules]); sys.exit(status)")
    proc = subprocess.run([sys.executable, "-c", probe, str(built / "briefs.yaml")], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "0 built, 4 up to date, 0 failed" in proc.stdout
    assert "heavy []" in proc.stdout
    assert {p: p.stat().st_mtime_ns for p in out.glob("*/*.html")} == before
    statuses = {e["status"] for e in read_manifest(out / "manifest.json").values()}
    assert statuses == {"up to date"}


def test_touching_one_office_rebuilds_exactly_its_briefs(built):
    out = built / "out"
    before = html_files(out)
    touch_fact(built / "data", "miyun.guoyuan")
    status, output = build(built / "briefs.yaml", "-j", "2")
    assert status == 0, output
    assert "1 built, 3 up to date, 0 failed" in output
    after = html_files(out)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {"office/office-miyun-guoyuan-2017.html"}
    manifest = read_manifest(out / "manifest.json")
    assert {n for n, e in manifest.items() if e["status"] == "built"} == {"office/office-miyun-guoyuan-2017"}


def test_failing_notebook_keeps_the_others_and_the_previous_html(built):
    out = built / "out"
    good = (out / "office" / "office-miyun-guoyuan-2017.html").read_bytes()
    config = (built / "briefs.yaml").read_text(encoding="utf-8") + "    notebook: nb/broken.ipynb\n"
    (built / "briefs.yaml").write_text(config, encoding="utf-8")
    touch_fact(built / "data", "xicheng.hostile1")     # rebuilds the two 西城区 office briefs
    status, output = build(built / "briefs.yaml", "-j", "2")
    assert status == 1, output
    assert "2 built, 1 up to date, 1 failed" in output
    assert "FAILED office/office-miyun-guoyuan-2017 in cell raise ValueError" in output
    assert "fixture notebook fails on purpose" in output
    assert (out / "office" / "office-miyun-guoyuan-2017.html").read_bytes() == good
    entry = read_manifest(out / "manifest.json")["office/office-miyun-guoyuan-2017"]
    assert entry["status"] == "failed" and "ValueError" in entry["error"]
    kept = out / entry["failed_notebook"]
    assert kept.parent == out / "_failed" and "fails on purpose" in kept.read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "FAILED" in index and "the brief shown is the previous good build" in index


def test_sigterm_leaves_no_half_written_html_and_the_rerun_resumes(tmp_path):
    import psutil
    config = make_workspace(tmp_path, "output: out\ndata: data\nbriefs:\n  - kind: district\n    district: 西城区\n"
                                      "  - kind: office\n    district: 西城区\n  - kind: office\n    district: 密云区\n")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "build", "--config", str(config), "-j", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        logs = list((out / "_logs").glob("*.log")) if out.exists() else []
        if logs and re.search(r"\[1/\d+\] built", logs[0].read_text(encoding="utf-8")):
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the build finished before it could be stopped"
    descendants = psutil.Process(proc.pid).children(recursive=True)
    assert descendants, "the build runs no worker"
    proc.send_signal(signal.SIGTERM)
    output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, output
    gone, alive = psutil.wait_procs(descendants, timeout=15)
    assert not alive, f"left running: {[p.cmdline() for p in alive]}"
    assert not [p for p in out.rglob("*") if ".tmp" in p.name]
    finished = html_files(out)
    planned = int(re.search(r"\[1/(\d+)\] built", next((out / "_logs").glob("*.log")).read_text(encoding="utf-8"))[1])
    assert 1 <= len(finished) < planned
    for name, html in finished.items():
        assert html.rstrip().endswith(b"</html>"), name
    manifest = read_manifest(out / "manifest.json")
    recorded = {n for n, e in manifest.items() if e.get("built_at")}
    assert recorded and {f"{n}.html" for n in recorded} <= set(finished)
    status, output = build(config, "-j", "2")
    assert status == 0, output
    assert f"{planned - len(recorded)} built, {len(recorded)} up to date" in output
    assert len(html_files(out)) == planned


def test_dask_cluster_builds_byte_identical_briefs(built):
    import distributed
    config = make_workspace(built, MAIN_CONFIG.replace("output: out", "output: out_dask"), "dask.yaml")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        report = run_build(load_config(config), scheduler=cluster.scheduler_address, only="*yuetan*",
                           progress_bar=False)
    assert report.status == 0 and not report.failed
    assert names(report.built) == {"office/office-xicheng-yuetan-2017-2019"}
    local, remote = html_files(built / "out"), html_files(built / "out_dask")
    assert set(remote) == {"office/office-xicheng-yuetan-2017-2019.html"}
    for name, html in remote.items():
        assert BUILD_TIME.sub(b"", html) == BUILD_TIME.sub(b"", local[name])
    # every configured brief is in the index, the ones --only left out as "not built"
    statuses = {e["status"] for e in read_manifest(built / "out_dask" / "manifest.json").values()}
    assert statuses == {"built", "not built"}


# --- pieces ----------------------------------------------------------------------------------------

def _task(tmp_path: Path) -> RenderTask:
    return RenderTask("office/x", "office", {"office_id": "miyun.guoyuan", "years": [2017]}, str(tmp_path),
                      str(DATASET), str(FIXTURE_NOTEBOOKS / "brief_small.ipynb"), str(tmp_path / "_failed"))


def test_a_kernel_that_fails_to_start_is_retried_once(tmp_path, monkeypatch):
    import gongkai.briefs

    calls = []
    real = gongkai.briefs.render_brief

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise BriefError("office brief x: RuntimeError: Kernel died before replying to kernel_info")
        return real(*args, **kwargs)

    monkeypatch.setattr(gongkai.briefs, "render_brief", flaky)
    outcome = render_task(_task(tmp_path))
    assert outcome.ok and outcome.attempts == 2 and len(calls) == 2
    assert Path(outcome.html).is_file()


def test_notebook_errors_and_missing_kernels_are_not_retried():
    assert not is_kernel_start_failure(BriefError("cell 3 failed", cell="1/0", error="ZeroDivisionError"))
    assert not is_kernel_start_failure(BriefError("x: NoSuchKernel: No such kernel named gongkai"))
    assert is_kernel_start_failure(BriefError("x: DeadKernelError: Kernel died"))
    assert not is_kernel_start_failure(ValueError("a notebook bug"))


def test_index_escapes_every_text():
    entry = {"name": "office/o-1", "kind": "office", "html": "office/o-1.html", "district": "<b>区</b>",
             "office": "<script>alert(1)</script>", "years": [2017, 2018, 2019], "lang": "zh",
             "status": "failed", "error": "ValueError: <img src=x onerror=alert(2)>", "cell": "x = '<i>'",
             "built_at": "2026-01-01T00:00:00+00:00", "seconds": 2.0, "size": 1000}
    page = render_index([entry], {"finished": "<now>", "gongkai": "0", "config": "<c>"})
    assert "<script>" not in page and "<img" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "2017–2019" in page
