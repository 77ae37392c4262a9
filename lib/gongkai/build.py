"""`gongkai build`: plan every brief of briefs.yaml, skip the unchanged, render the rest in parallel.

Flow: validate the config (exit 2 on error) -> hash each brief's inputs (gongkai.buildinputs) -> compare
with outputs/manifest.json -> render what changed through a concurrent.futures.Executor (a process pool
by default, dask.distributed with --scheduler) at most `jobs` at a time -> record each outcome in the
manifest as it arrives -> write outputs/index.html. The no-op path imports neither pandas nor Jupyter.

Exit status: 0 every brief built or up to date, 1 any brief failed (or another build holds the lock),
2 bad config, 128+signal when stopped by SIGTERM/SIGINT (finished briefs stay recorded; the next run
resumes with the rest).
"""
from __future__ import annotations

import fcntl
import fnmatch
import json
import logging
import os
import signal
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator

import gongkai
from gongkai.buildconfig import BriefSpec, BuildConfig, load_config
from gongkai.buildindex import read_manifest, write_index, write_manifest
from gongkai.buildinputs import file_sha256, input_hash
from gongkai.buildpool import dask_client, local_executor, render_all
from gongkai.buildworker import RenderOutcome, RenderTask, render_task
from gongkai.errors import ConfigError, GongkaiError

log = logging.getLogger(__name__)
KIND_DIRS = ("district", "office")
LOGS_KEPT = 50


class BuildStopped(BaseException):
    """Raised in the main thread by SIGTERM so the build can stop its workers and record what finished."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(f"stopped by signal {signum}")


@dataclass
class PlannedBrief:
    """A configured brief with its output name and input hash, and why it must be built ('' = up to date)."""
    spec: BriefSpec
    slug: str
    input_hash: str
    reason: str = ""

    @property
    def name(self) -> str:
        return f"{self.spec.kind}/{self.slug}"


@dataclass
class BuildReport:
    """What a run did, for the summary and the exit status."""
    built: list[str] = field(default_factory=list)
    up_to_date: list[str] = field(default_factory=list)
    failed: list[RenderOutcome] = field(default_factory=list)
    status: int = 0


def _slug(spec: BriefSpec, cached: dict[str, str]) -> str:
    key = json.dumps([spec.kind, spec.params], sort_keys=True, ensure_ascii=False)
    if key not in cached:
        from gongkai.briefs import brief_slug     # only when the manifest does not know this brief yet
        cached[key] = brief_slug(spec.kind, dict(spec.params))
    return cached[key]


def plan(config: BuildConfig, previous: dict[str, dict], *, force: bool = False) -> list[PlannedBrief]:
    """Name and hash every configured brief; `reason` says why it must be rebuilt ('' when it need not)."""
    data = config.data
    slugs = {json.dumps([e["kind"], e["params"]], sort_keys=True, ensure_ascii=False): e["slug"]
             for e in previous.values() if e.get("gongkai") == gongkai.__version__ and "params" in e}
    notebook_sha: dict[Path, str] = {}
    planned: dict[str, PlannedBrief] = {}
    for spec in config.briefs:
        if spec.notebook not in notebook_sha:
            notebook_sha[spec.notebook] = file_sha256(spec.notebook)
        item = PlannedBrief(spec, _slug(spec, slugs), input_hash(spec.kind, spec.params, notebook_sha[spec.notebook],
                                                                 spec.offices, spec.district, data,
                                                                 gongkai.__version__))
        if item.name in planned:
            raise ConfigError(f"brief {item.name} is configured twice (also on line {planned[item.name].spec.line})",
                              spec.line, config.path)
        before = previous.get(item.name, {})
        html = config.output_dir / spec.kind / f"{item.slug}.html"
        if force:
            item.reason = "forced"
        elif not before.get("built_at"):
            item.reason = "new"
        elif not html.is_file():
            item.reason = "HTML missing"
        elif before.get("input_hash") != item.input_hash:
            item.reason = "inputs changed"
        planned[item.name] = item
    return list(planned.values())


def _selected(item: PlannedBrief, pattern: str | None) -> bool:
    if not pattern:
        return True
    keys = (item.name, item.slug, item.spec.office_id or "", item.spec.district)
    return any(fnmatch.fnmatchcase(k, pattern) for k in keys)


def _entry(item: PlannedBrief, config: BuildConfig, data_offices: dict, before: dict) -> dict:
    """The manifest entry of a brief, carrying over the record of the HTML on disk."""
    office = data_offices.get(item.spec.office_id or "", {}).get("name") if item.spec.office_id else None
    entry = {k: before[k] for k in ("input_hash", "built_at", "seconds", "size", "host") if k in before}
    entry.update(name=item.name, kind=item.spec.kind, slug=item.slug, params=item.spec.params,
                 html=f"{item.spec.kind}/{item.slug}.html", district=item.spec.district,
                 office_id=item.spec.office_id, office=office, years=item.spec.params.get("years", []),
                 lang=item.spec.params.get("lang"), offices=len(item.spec.offices), config_line=item.spec.line,
                 notebook=str(item.spec.notebook), gongkai=gongkai.__version__,
                 status="up to date" if entry.get("built_at") else "not built")
    return entry


def _record(entry: dict, outcome: RenderOutcome, input_hash_: str, output_dir: Path) -> None:
    entry.pop("error", None), entry.pop("cell", None), entry.pop("failed_notebook", None)
    entry["attempted_at"] = datetime.now().astimezone().isoformat(timespec="seconds")
    if outcome.ok:
        entry.update(status="built", input_hash=input_hash_, built_at=entry["attempted_at"],
                     seconds=round(outcome.seconds, 2), size=outcome.size, host=outcome.host)
        return
    entry.update(status="failed", error=outcome.error, cell=outcome.cell)
    if outcome.failed_notebook:
        kept = Path(outcome.failed_notebook)
        entry["failed_notebook"] = os.path.relpath(kept, output_dir) if kept.is_absolute() else str(kept)


@contextmanager
def _lock(output_dir: Path) -> Iterator[None]:
    output_dir.mkdir(parents=True, exist_ok=True)
    with open(output_dir / ".build.lock", "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise GongkaiError(f"another gongkai build is running on {output_dir}") from None
        yield


def _sweep_temp_files(output_dir: Path) -> None:
    """Remove temporary files a killed render left behind (we hold the lock: none is in use)."""
    for kind in KIND_DIRS:
        folder = output_dir / kind
        if folder.is_dir():
            for path in folder.iterdir():
                if path.name.endswith(".tmp") or ".tmp." in path.name or path.name.startswith(".~"):
                    log.info("removing leftover temporary file %s", path)
                    path.unlink(missing_ok=True)


@contextmanager
def _run_log(output_dir: Path, progress_bar: bool) -> Iterator[Path]:
    """Log this run to outputs/_logs/build-<timestamp>.log; on a terminal keep per-brief lines off stderr."""
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


def run_build(config: BuildConfig, *, jobs: int | None = None, force: bool = False, only: str | None = None,
              scheduler: str | None = None, render: Callable[[RenderTask], RenderOutcome] = render_task,
              progress_bar: bool | None = None) -> BuildReport:
    """Build the briefs of a validated config; returns what was built, skipped and failed."""
    out = config.output_dir
    report = BuildReport()
    manifest_path = out / "manifest.json"
    progress_bar = sys.stderr.isatty() if progress_bar is None else progress_bar
    started = datetime.now().astimezone().isoformat(timespec="seconds")
    with _lock(out), _run_log(out, progress_bar) as log_path:
        _sweep_temp_files(out)
        previous = read_manifest(manifest_path)
        planned = plan(config, previous, force=force)
        entries = {p.name: _entry(p, config, config.data.offices, previous.get(p.name, {})) for p in planned}
        todo = [p for p in planned if p.reason and _selected(p, only)]
        report.up_to_date = [p.name for p in planned if not p.reason]
        todo_names = {p.name for p in todo}
        for p in planned:
            if p.reason and p.name not in todo_names:          # left out by --only: say so, keep a failure's record
                before, entry = previous.get(p.name, {}), entries[p.name]
                entry["status"] = "failed" if before.get("status") == "failed" else \
                    ("out of date" if entry.get("built_at") else "not built")
                entry.update({k: before[k] for k in ("error", "cell", "failed_notebook") if k in before})
        run = {"config": str(config.path), "gongkai": gongkai.__version__, "started": started,
               "log": os.path.relpath(log_path, out), "planned": len(planned), "to_build": len(todo)}
        log.info("%d briefs configured, %d up to date, %d to build%s", len(planned), len(report.up_to_date),
                 len(todo), f" (--only {only})" if only else "")
        last_write = 0.0

        def save(final: bool = False) -> None:
            nonlocal last_write
            if final or time.monotonic() - last_write > 2:
                run["finished"] = datetime.now().astimezone().isoformat(timespec="seconds")
                ordered = sorted(entries.values(), key=lambda e: (e["kind"] != "district", e["district"], e["name"]))
                write_manifest(manifest_path, ordered, run)
                if final:
                    write_index(out / "index.html", ordered, run)
                last_write = time.monotonic()

        by_name = {p.name: p for p in todo}
        tasks = [RenderTask(p.name, p.spec.kind, p.spec.params, str(out), str(config.data_dir), str(p.spec.notebook),
                            str(out / "_failed")) for p in sorted(todo, key=lambda p: p.spec.kind != "district")]
        bar = None

        def on_done(task: RenderTask, outcome: RenderOutcome) -> None:
            _record(entries[task.name], outcome, by_name[task.name].input_hash, out)
            n = len(report.built) + len(report.failed) + 1
            if outcome.ok:
                report.built.append(task.name)
                log.info("[%d/%d] built %s (%.1f s)", n, len(tasks), task.name, outcome.seconds,
                         extra={"progress": True})
            else:
                report.failed.append(outcome)
                log.error("[%d/%d] FAILED %s: %s%s", n, len(tasks), task.name, outcome.error,
                          f" (cell {short_cell(outcome.cell)})" if outcome.cell is not None else "")
            if bar is not None:
                bar.update(1)
            save()

        previous_handler = signal.signal(signal.SIGTERM, _raise_stopped)
        try:
            if tasks:
                client = None
                if scheduler:
                    client = dask_client(scheduler, [out, config.data_dir,
                                                      *{Path(t.notebook) for t in tasks}])
                    jobs = jobs or sum(client.nthreads().values())
                    make_executor = lambda: client.get_executor(pure=False)       # noqa: E731
                else:
                    jobs = jobs or os.cpu_count() or 1
                    make_executor = local_executor(min(jobs, len(tasks)), log_path)
                log.info("rendering %d briefs, %d at a time%s", len(tasks), jobs,
                         f" on {scheduler}" if scheduler else "")
                if progress_bar:
                    from tqdm import tqdm
                    bar = tqdm(total=len(tasks), unit="brief", file=sys.stderr)
                try:
                    render_all(tasks, make_executor, max(1, jobs), render, on_done)
                finally:
                    if bar is not None:
                        bar.close()
                    if client is not None:
                        client.close()
        except (BuildStopped, KeyboardInterrupt) as exc:
            signum = exc.signum if isinstance(exc, BuildStopped) else signal.SIGINT
            log.error("build stopped by signal %d: %d briefs finished, the rest are left for the next run",
                      signum, len(report.built) + len(report.failed))
            report.status = 128 + signum
        finally:
            signal.signal(signal.SIGTERM, previous_handler)
            _sweep_temp_files(out)
            run["built"], run["failed"] = len(report.built), len(report.failed)
            save(final=True)
    if not report.status:
        report.status = 1 if report.failed else 0
    return report


def short_cell(source: str, width: int = 100) -> str:
    """A failing cell's source on one line, cut to width, for summaries."""
    text = " ⏎ ".join(line.strip() for line in str(source).strip().splitlines() if line.strip())
    return text if len(text) <= width else text[:width - 1] + "…"


def _raise_stopped(signum: int, frame) -> None:
    signal.signal(signum, signal.SIG_IGN)        # the first SIGTERM starts an orderly stop; more are ignored
    raise BuildStopped(signum)


def _print_summary(report: BuildReport, config: BuildConfig) -> None:
    out = config.output_dir
    print(f"{len(report.built)} built, {len(report.up_to_date)} up to date, {len(report.failed)} failed"
          f" -> {out / 'index.html'}")
    for name in report.built[:50]:
        print(f"  built  {out / name}.html")
    if len(report.built) > 50:
        print(f"  ... and {len(report.built) - 50} more (see {out / 'manifest.json'})")
    for outcome in report.failed:
        where = f" in cell {short_cell(outcome.cell)}" if outcome.cell is not None else ""
        print(f"  FAILED {outcome.name}{where}: {outcome.error}")
        if outcome.failed_notebook:
            print(f"         executed notebook: {outcome.failed_notebook}")


def build_command(args) -> int:
    """CLI `gongkai build`: returns 0 (all good), 1 (a brief failed), 2 (bad config), 128+n (signal)."""
    try:
        config = load_config(Path(args.config) if args.config else None)
    except ConfigError as exc:
        print(f"gongkai build: {exc}", file=sys.stderr)
        return 2
    if args.jobs is not None and args.jobs < 1:
        print("gongkai build: -j must be at least 1", file=sys.stderr)
        return 2
    try:
        report = run_build(config, jobs=args.jobs, force=args.force, only=args.only, scheduler=args.scheduler)
    except ConfigError as exc:
        print(f"gongkai build: {exc}", file=sys.stderr)
        return 2
    except GongkaiError as exc:
        print(f"gongkai build: {exc}", file=sys.stderr)
        return 1
    _print_summary(report, config)
    return report.status
