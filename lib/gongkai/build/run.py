"""Run a build: plan the briefs of a validated config, skip the unchanged, render the rest in parallel.

run_build: take the output folder's lock (gongkai.locks: a second build on it fails at once; the lock of a
build that was killed is taken over) -> start this run's log file -> sweep temporary files a killed run
left -> plan (gongkai.build.plan) against outputs/manifest.json -> render what changed through a
concurrent.futures.Executor (a process pool by default, dask.distributed with `scheduler`) at most `jobs`
at a time (gongkai.build.pool) -> record each outcome in the manifest as it arrives -> write
outputs/index.html. The no-op path imports neither pandas nor Jupyter.

It returns a BuildReport whose status is the exit status of `gongkai build`: 0 every brief built or up
to date, 1 a brief failed, 128+signal when stopped by SIGTERM/SIGINT (finished briefs stay recorded;
the next run resumes with the rest). Another build holding the lock raises LockedError; a Dask worker
that cannot see the project's paths raises ConfigError. It logs, never prints (gongkai.cli prints).
"""
from __future__ import annotations

import logging
import os
import signal
import sys
import time
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator

import gongkai
from gongkai.build.config import BuildConfig
from gongkai.build.index import read_manifest, write_index, write_manifest
from gongkai.build.plan import PlannedBrief, is_selected, manifest_entry, mark_left_out, plan_briefs
from gongkai.build.pool import dask_client, local_executor, render_all
from gongkai.build.worker import RenderOutcome, RenderTask, render_task
from gongkai.locks import DirectoryLock
from gongkai.params import KINDS
from gongkai.wording import shorten

log = logging.getLogger(__name__)

LOGS_KEPT = 50             # build-*.log files kept in outputs/_logs
SAVE_INTERVAL = 2.0        # seconds between manifest writes while briefs finish
CELL_WIDTH = 100           # characters of a failing cell's source in log lines and summaries


class BuildStopped(BaseException):
    """Raised in the main thread by SIGTERM so the build can stop its workers and record what finished."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(f"stopped by signal {signum}")


@dataclass
class BuildReport:
    """What a run did, for the summary and the exit status."""
    built: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: list[RenderOutcome] = field(default_factory=list)
    status: int = 0


def short_cell(source: str, width: int = CELL_WIDTH) -> str:
    """A failing cell's source on one line, cut to width, for summaries."""
    return shorten(" ⏎ ".join(line.strip() for line in str(source).strip().splitlines() if line.strip()), width)


def record_outcome(entry: dict, outcome: RenderOutcome, input_hash: str, output_dir: Path) -> None:
    """Update a manifest entry with a render's outcome (a failure keeps the record of the previous HTML)."""
    for key in ("error", "cell", "failed_notebook"):
        entry.pop(key, None)
    entry["attempted_at"] = datetime.now().astimezone().isoformat(timespec="seconds")
    if outcome.ok:
        entry.update(status="built", input_hash=input_hash, built_at=entry["attempted_at"],
                     seconds=round(outcome.seconds, 2), size=outcome.size, host=outcome.host)
        return
    entry.update(status="failed", error=outcome.error, cell=outcome.cell)
    if outcome.failed_notebook:
        kept = Path(outcome.failed_notebook)
        entry["failed_notebook"] = os.path.relpath(kept, output_dir) if kept.is_absolute() else str(kept)


def build_lock(output_dir: Path) -> DirectoryLock:
    """The lock of output_dir (.build.lock): LockedError when a live build holds it; a dead build's is taken over."""
    return DirectoryLock(output_dir, what="build")


def sweep_temp_files(output_dir: Path) -> None:
    """Remove temporary files a killed render left behind (call it holding the lock: none is in use)."""
    for kind in KINDS:
        folder = output_dir / kind
        if folder.is_dir():
            for path in folder.iterdir():
                if path.name.endswith(".tmp") or ".tmp." in path.name or path.name.startswith(".~"):
                    log.info("removing leftover temporary file %s", path)
                    path.unlink(missing_ok=True)


@contextmanager
def run_log(output_dir: Path, progress_bar: bool) -> Iterator[Path]:
    """Log this run to outputs/_logs/build-<timestamp>.log; with a progress bar keep per-brief lines off stderr."""
    logs = output_dir / "_logs"
    logs.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = logs / f"build-{stamp}.log"
    n = 1
    while path.exists():
        n += 1
        path = logs / f"build-{stamp}-{n}.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    quiet = logging.Filter()
    quiet.filter = lambda record: not getattr(record, "progress", False)      # type: ignore[method-assign]
    consoles = [h for h in root.handlers if isinstance(h, logging.StreamHandler)
                and not isinstance(h, logging.FileHandler)] if progress_bar else []
    for h in consoles:
        h.addFilter(quiet)
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(min(old_level or logging.INFO, logging.INFO))
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
        for h in consoles:
            h.removeFilter(quiet)
        for old in sorted(logs.glob("build-*.log"))[:-LOGS_KEPT]:
            old.unlink(missing_ok=True)


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class _Records:
    """The manifest entries of this run; written at most every SAVE_INTERVAL s, and with the index at the end."""

    def __init__(self, output_dir: Path, entries: dict[str, dict], run: dict):
        self.output_dir, self.entries, self.run = output_dir, entries, run
        self.last_write = 0.0

    def save(self, final: bool = False) -> None:
        if not final and time.monotonic() - self.last_write <= SAVE_INTERVAL:
            return
        self.run["finished"] = _now()
        ordered = sorted(self.entries.values(), key=lambda e: (e["kind"] != "district", e["district"], e["name"]))
        write_manifest(self.output_dir / "manifest.json", ordered, self.run)
        if final:
            write_index(self.output_dir / "index.html", ordered, self.run)
        self.last_write = time.monotonic()


def _tasks(todo: list[PlannedBrief], config: BuildConfig) -> list[RenderTask]:
    """One RenderTask per brief to build, district briefs first (they take longest)."""
    out = config.output_dir
    return [RenderTask(p.name, p.spec.kind, p.spec.params, str(out), str(config.data_dir), str(p.spec.notebook),
                       str(out / "_failed")) for p in sorted(todo, key=lambda p: p.spec.kind != "district")]


def _render(tasks: list[RenderTask], config: BuildConfig, jobs: int | None, scheduler: str | None,
            log_path: Path, render: Callable[[RenderTask], RenderOutcome], progress_bar: bool,
            on_done: Callable[[RenderTask, RenderOutcome], None]) -> None:
    """Render the tasks on a local process pool, or on the Dask cluster at `scheduler`."""
    client = None
    if scheduler:
        client = dask_client(scheduler, [config.output_dir, config.data_dir, *{Path(t.notebook) for t in tasks}])
        jobs = jobs or sum(client.nthreads().values())
        make_executor: Callable[[], Executor] = lambda: client.get_executor(pure=False)       # noqa: E731
    else:
        jobs = jobs or os.cpu_count() or 1
        make_executor = local_executor(min(jobs, len(tasks)), log_path)
    log.info("rendering %d briefs, %d at a time%s", len(tasks), jobs, f" on {scheduler}" if scheduler else "")
    bar = None
    if progress_bar:
        from tqdm import tqdm
        bar = tqdm(total=len(tasks), unit="brief", file=sys.stderr)

    def done(task: RenderTask, outcome: RenderOutcome) -> None:
        on_done(task, outcome)
        if bar is not None:
            bar.update(1)

    try:
        render_all(tasks, make_executor, max(1, jobs), render, done)
    finally:
        if bar is not None:
            bar.close()
        if client is not None:
            client.close()


def run_build(config: BuildConfig, *, jobs: int | None = None, force: bool = False, only: str | None = None,
              scheduler: str | None = None, render: Callable[[RenderTask], RenderOutcome] = render_task,
              progress_bar: bool | None = None) -> BuildReport:
    """Build the briefs of a validated config; returns what was built, skipped and failed (see the module doc).

    jobs bounds the renders in flight (default: the cores, or the cluster's threads); force rebuilds
    everything; only is a glob on name, slug, office id or district; render is the per-brief function
    the executor runs; progress_bar defaults to whether stderr is a terminal.
    """
    out = config.output_dir
    report = BuildReport()
    progress_bar = sys.stderr.isatty() if progress_bar is None else progress_bar
    started = _now()
    with build_lock(out), run_log(out, progress_bar) as log_path:
        sweep_temp_files(out)
        previous = read_manifest(out / "manifest.json")
        planned = plan_briefs(config, previous, force=force)
        entries = {p.name: manifest_entry(p, config.data.offices, previous.get(p.name, {})) for p in planned}
        todo = [p for p in planned if p.reason and is_selected(p, only)]
        report.up_to_date = [p.name for p in planned if not p.reason]
        todo_names = {p.name for p in todo}
        for p in planned:
            if p.reason and p.name not in todo_names:
                mark_left_out(entries[p.name], previous.get(p.name, {}))
        records = _Records(out, entries, {"config": str(config.path), "gongkai": gongkai.__version__,
                                          "started": started, "log": os.path.relpath(log_path, out),
                                          "planned": len(planned), "to_build": len(todo)})
        log.info("%d briefs configured, %d up to date, %d to build%s", len(planned), len(report.up_to_date),
                 len(todo), f" (--only {only})" if only else "")
        hashes = {p.name: p.input_hash for p in todo}
        tasks = _tasks(todo, config)

        def on_done(task: RenderTask, outcome: RenderOutcome) -> None:
            record_outcome(entries[task.name], outcome, hashes[task.name], out)
            n = len(report.built) + len(report.failed) + 1
            if outcome.ok:
                report.built.append(task.name)
                log.info("[%d/%d] built %s (%.1f s)", n, len(tasks), task.name, outcome.seconds,
                         extra={"progress": True})
            else:
                report.failed.append(outcome)
                log.error("[%d/%d] FAILED %s: %s%s", n, len(tasks), task.name, outcome.error,
                          f" (cell {short_cell(outcome.cell)})" if outcome.cell is not None else "")
            records.save()

        previous_handler = signal.signal(signal.SIGTERM, _raise_stopped)
        try:
            if tasks:
                _render(tasks, config, jobs, scheduler, log_path, render, progress_bar, on_done)
        except (BuildStopped, KeyboardInterrupt) as exc:
            signum = exc.signum if isinstance(exc, BuildStopped) else signal.SIGINT
            log.error("build stopped by signal %d: %d briefs finished, the rest are left for the next run",
                      signum, len(report.built) + len(report.failed))
            report.status = 128 + signum
        finally:
            signal.signal(signal.SIGTERM, previous_handler)
            sweep_temp_files(out)
            records.run["built"], records.run["failed"] = len(report.built), len(report.failed)
            records.save(final=True)
    if not report.status:
        report.status = 1 if report.failed else 0
    return report


def _raise_stopped(signum: int, frame: object) -> None:
    signal.signal(signum, signal.SIG_IGN)        # the first SIGTERM starts an orderly stop; more are ignored
    raise BuildStopped(signum)
