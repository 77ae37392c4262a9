"""gongkai.build.run: real builds (the project's notebooks through papermill + nbconvert on the `gongkai`
kernel, over a copy of tests/fixtures/dataset_small): incremental, failures, SIGTERM, Dask, the lock.

One module-scoped build (`built_once`) is copied into every test that starts from a built state.
tests/fixtures/notebooks/broken.ipynb raises in its second cell.
"""
from __future__ import annotations

import fcntl
import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from buildspace import MAIN_CONFIG, MAIN_NAMES, build, html_files, make_workspace, names, touch_fact
from gongkai.build import load_config, read_manifest, run_build
from gongkai.build.run import record_outcome, short_cell
from gongkai.build.worker import RenderOutcome
from gongkai.errors import GongkaiError

BUILD_TIME = re.compile(rb'<time class="gongkai-build-time">[^<]*</time>')


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


# --- without a kernel ------------------------------------------------------------------------------

def test_a_second_build_on_the_same_output_is_refused(tmp_path):
    config = load_config(make_workspace(tmp_path))
    (tmp_path / "out").mkdir()
    with open(tmp_path / "out" / ".build.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(GongkaiError, match="another gongkai build is running on"):
            run_build(config, progress_bar=False)
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_outcomes_update_the_manifest_entry(tmp_path):
    entry = {"built_at": "2026-01-01T02:30:00+08:00", "input_hash": "old", "error": "stale", "cell": "x"}
    failed = RenderOutcome("office/x", False, 1.0, error="ValueError: boom", cell="1/0",
                           failed_notebook=str(tmp_path / "_failed" / "x.ipynb"))
    record_outcome(entry, failed, "new", tmp_path)
    assert entry["status"] == "failed" and entry["failed_notebook"] == "_failed/x.ipynb"
    assert (entry["input_hash"], entry["built_at"]) == ("old", "2026-01-01T02:30:00+08:00")  # the good HTML's record
    record_outcome(entry, RenderOutcome("office/x", True, 2.345, size=10, host="h"), "new", tmp_path)
    assert entry["status"] == "built" and entry["input_hash"] == "new" and entry["built_at"] == entry["attempted_at"]
    assert (entry["seconds"], entry["size"], entry["host"]) == (2.35, 10, "h")
    assert not {"error", "cell", "failed_notebook"} & set(entry)


def test_short_cell_is_one_line():
    assert short_cell("x = 1\n\n  y = 1 / 0  \n") == "x = 1 ⏎ y = 1 / 0"
    assert short_cell("a" * 300) == "a" * 99 + "…"


# --- real builds -----------------------------------------------------------------------------------

@pytest.mark.slow
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
    assert manifest["run"]["planned"] == 4 and manifest["run"]["built"] == 4 and manifest["run"]["failed"] == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    for entry in manifest["briefs"]:
        assert f'href="{entry["html"]}"' in index
    assert "&lt;script&gt;alert(1)&lt;/script&gt;街道" in index and "<script>" not in index
    assert "http://" not in index and "https://" not in index
    logs = list((out / "_logs").glob("build-*.log"))
    assert len(logs) == 1 and "[4/4] built" in logs[0].read_text(encoding="utf-8")
    assert not (out / "_failed").exists()


@pytest.mark.slow
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
    assert len(list((out / "_logs").glob("build-*.log"))) == 2


@pytest.mark.slow
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


@pytest.mark.slow
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
    assert "生成失败" in index and "显示的是上一次成功生成的简报" in index       # the index speaks the build's zh


@pytest.mark.slow
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


@pytest.mark.slow
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
        assert len(BUILD_TIME.findall(html)) == 1
        assert BUILD_TIME.sub(b"", html) == BUILD_TIME.sub(b"", local[name])
    # every configured brief is in the index, the ones --only left out as "not built"
    statuses = {e["status"] for e in read_manifest(built / "out_dask" / "manifest.json").values()}
    assert statuses == {"built", "not built"}
