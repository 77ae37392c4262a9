"""Ingest on a Dask cluster: reading and extraction spread over workers, results streamed into the Parquet form.

distributed_ingest(paths, data_dir, scheduler=... | workers=N) lists the report files, sends them to the
workers in batches (a bounded number in flight, so memory stays flat however many files there are), and on
each worker reads, hashes and extracts every file through the content-hash extraction cache
(data_dir/.cache: an unchanged file costs a hash, on any worker that sees the shared folder) and runs the
within-report checks. The client files each report under an office of the registry (data_dir/offices.csv),
applies the reviewed overrides, and streams the facts of every finished batch into a new version of the
Parquet dataset (gongkai.columnar.Writer); the across-report checks run on the few figures they need. The
version becomes current in one atomic step at the end: a killed worker's batch is rerun by Dask, and a crash
or a killed client leaves the previous dataset current and readable (the half-written version is removed by
the next writer).

Cluster: `dask scheduler` on one machine, `dask worker tcp://host:8786 --nworkers 1 --nthreads 1` on each
worker machine (same Python environment with gongkai installed, the report folder and data_dir on a shared
file system), then `gongkai ingest --scheduler tcp://host:8786 --data DIR REPORTS`. `--workers N` starts a
LocalCluster of N single-threaded worker processes instead.
"""
from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from gongkai import columnar, config
from gongkai.errors import GongkaiError, ReadError
from gongkai.ingest import CACHE_FOLDER, IngestSummary, fact_rows, finding_rows, place_report, report_files, report_row

log = logging.getLogger(__name__)
BATCH = 40                 # files per task
IN_FLIGHT_PER_WORKER = 3   # batches queued per worker
WRITE_ROWS = 50_000        # facts per Parquet part file


def extract_batch(paths: list[str], cache_dir: str, force: bool = False) -> list[tuple]:
    """On a worker: (path, sha, report, cached, error) per file; report.findings filled by check_report."""
    from gongkai.checks import check_report
    from gongkai.extraction_cache import extract_cached
    from gongkai.ingest import _file_hash
    out = []
    for path in paths:
        try:
            sha, _ = _file_hash(Path(path))
            report, cached = extract_cached(Path(path), sha, Path(cache_dir), force)
            report.findings = check_report(report)
            out.append((path, sha, report, cached, ""))
        except ReadError as exc:
            out.append((path, "", None, False, exc.problem))
        except OSError as exc:
            out.append((path, "", None, False, f"cannot open: {exc.strerror}"))
        except Exception as exc:  # an extractor bug must not stop the batch
            out.append((path, "", None, False, f"extraction failed: {type(exc).__name__}: {exc}"))
    return out


def worker_peak_rss() -> int:
    """Peak resident memory of this process in bytes (VmHWM; run on each worker by the benchmark)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _client(scheduler: str | None, workers: int | None):
    from dask.distributed import Client, LocalCluster
    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(n_workers=workers or 1, threads_per_worker=1, processes=True, dashboard_address=None,
                           memory_limit=0)
    return Client(cluster), cluster


def _progress(total: int) -> Callable[[int], None]:
    if sys.stderr.isatty():
        from tqdm import tqdm
        bar = tqdm(total=total, unit="file", desc="ingest")
        return bar.update
    state = {"done": 0, "shown": 0, "t0": time.monotonic()}

    def step(n: int) -> None:
        state["done"] += n
        if state["done"] * 10 // max(total, 1) > state["shown"] or state["done"] == total:
            state["shown"] = state["done"] * 10 // max(total, 1)
            rate = state["done"] / max(time.monotonic() - state["t0"], 1e-9)
            log.info("ingest: %d/%d files (%.0f files/s)", state["done"], total, rate)
    return step


def _places(data_dir: Path) -> pd.DataFrame:
    if (data_dir / "places.csv").is_file():
        return pd.read_csv(data_dir / "places.csv", dtype=str, keep_default_na=False)
    if columnar.is_columnar(data_dir):
        return columnar.read_table(data_dir, "places")
    return pd.DataFrame(columns=columnar.PLACE_COLUMNS)


def distributed_ingest(paths: Iterable, data_dir=None, scheduler: str | None = None, workers: int | None = None,
                       force: bool = False, client=None, progress: bool = True, batch: int = BATCH) -> IngestSummary:
    """Ingest the report files under paths into data_dir's Parquet form on a Dask cluster (scheduler address)
    or a LocalCluster of `workers` processes (or an existing client). Returns the IngestSummary; raises
    GongkaiError, leaving the previous dataset current, when no report could be read."""
    from dask.distributed import as_completed

    from gongkai.checks import check_across_years, check_conflicts
    from gongkai.overrides import apply_overrides, read_overrides
    from gongkai.registry import Placement, load_registry

    data_dir = Path(data_dir or config.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    paths = list(paths) or [data_dir / "reports"]
    registry_path = data_dir / "offices.csv"
    registry = load_registry(registry_path if registry_path.is_file() else config.DATA_DIR / "offices.csv")
    places = _places(data_dir)
    province_of = dict(zip(places.district, places.province))
    overrides = read_overrides(data_dir / "overrides.csv")
    files = [str(p) for p in report_files(paths)]
    summary = IngestSummary(data_dir=data_dir)
    summary.files = len(files)
    own = client is None
    cluster = None
    if own:
        client, cluster = _client(scheduler, workers)
    step = _progress(len(files)) if progress else (lambda n: None)
    cache_dir = str(data_dir / CACHE_FOLDER)
    seen: dict[str, str] = {}
    reports: dict[str, dict] = {}
    findings: list[dict] = []
    carried: list[dict] = []          # the facts the across-year checks read
    used_overrides: set[int] = set()
    buffer: list[dict] = []           # facts not yet written (a part file per WRITE_ROWS facts)
    part = 0
    try:
        with columnar.Writer(data_dir) as writer:
            batches = [files[i:i + batch] for i in range(0, len(files), batch)]
            n_workers = max(1, len(client.scheduler_info().get("workers", {})) or (workers or 1))
            window = n_workers * IN_FLIGHT_PER_WORKER
            pending = iter(batches)
            queue = as_completed([client.submit(extract_batch, b, cache_dir, force, pure=False)
                                  for b in [next(pending) for _ in range(min(window, len(batches)))]])
            for future in queue:
                results = future.result()
                future.release()
                nxt = next(pending, None)
                if nxt is not None:
                    queue.add(client.submit(extract_batch, nxt, cache_dir, force, pure=False))
                facts: list[dict] = []
                batch_reports: dict[str, dict] = {}
                for path, sha, report, cached, error in results:
                    if report is None:
                        summary.failed.append((path, error))
                        continue
                    if sha in seen:
                        summary.duplicates.append((path, seen[sha]))
                        continue
                    seen[sha] = path
                    summary.cached += cached
                    summary.extracted += not cached
                    place = place_report(report, registry, Path(path))
                    if place.is_new:
                        summary.new_offices.append((place.office_id, place.office, place.district))
                    rows = fact_rows(report, place)
                    facts += rows
                    batch_reports[report.report] = report_row(report, place, len(rows))
                    findings.extend(finding_rows(report))
                mine = [o for o in overrides if o["report"] in batch_reports]
                if mine:
                    facts, notes = apply_overrides(facts, batch_reports, mine)
                    summary.notes += notes
                    used_overrides |= {id(o) for o in mine}
                reports.update(batch_reports)
                carried += [f for f in facts if f["metric"] in ("req_carried_in", "req_carried_out")
                            or f["qualifier"] == "derived"]
                buffer += facts
                if len(buffer) >= WRITE_ROWS:
                    part = _flush(writer, buffer, part, province_of)
                summary.facts += len(facts)
                step(len(results))
            part = _flush(writer, buffer, part, province_of)
            if not reports:
                where = ", ".join(str(p) for p in paths)
                raise GongkaiError(f"no report could be read under {where} ({summary.files} file(s), "
                                   f"{len(summary.failed)} failed): the dataset in {data_dir} was left as it is")
            summary.notes += [f"override for unknown report {o['report']} ({o['metric']}) not applied"
                              for o in overrides if id(o) not in used_overrides]
            findings += check_across_years(carried)
            findings += _conflicts(writer, reports, check_conflicts)
            for f in findings:
                rep = reports.get(f["report"])
                if rep is not None and f["severity"] in ("error", "warning"):
                    rep[f["severity"] + "s"] += 1
            report_frame = pd.DataFrame(list(reports.values()))
            report_frame["province"] = report_frame.district.map(province_of).fillna("")
            writer.write("reports", report_frame, "ingest", sort_by=["district", "office_id", "year"])
            writer.write("findings", pd.DataFrame(findings, columns=columnar.TABLE_COLUMNS["findings"]))
            writer.write("offices", _registry_frame(registry))
            known = set(places.district)
            extra = sorted({r["district"] for r in reports.values()} - known)
            writer.write("places", pd.concat([places, pd.DataFrame({"district": extra, "city": "", "province": ""})],
                                             ignore_index=True))
            writer.commit()
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()
    summary.reports = len(reports)
    summary.errors = sum(f["severity"] == "error" for f in findings)
    summary.warnings = sum(f["severity"] == "warning" for f in findings)
    return summary


def _flush(writer, buffer: list[dict], part: int, province_of: dict) -> int:
    """Write the buffered facts as the next part file of this version; the buffer is emptied."""
    if not buffer:
        return part
    frame = pd.DataFrame(buffer)
    frame["province"] = frame.district.map(province_of).fillna("")
    writer.write("facts", frame, f"ingest/part-{part:06d}", sort_by=["district", "office_id", "year"])
    buffer.clear()
    return part + 1


def _registry_frame(registry) -> pd.DataFrame:
    rows = [{"office_id": o.office_id, "name": o.name, "aliases": "|".join(getattr(o, "aliases", ()) or ()),
             "district": o.district, "kind": getattr(o, "kind", "")} for o in registry.offices.values()]
    return pd.DataFrame(rows, columns=columnar.OFFICE_COLUMNS)


def _conflicts(writer, reports: dict[str, dict], check) -> list[dict]:
    """check_conflicts over the facts of the reports sharing an office-year (read back from this version)."""
    from collections import Counter

    import pyarrow.dataset as pads
    counts = Counter((r["office_id"], r["year"]) for r in reports.values())
    shared = [rid for rid, r in reports.items() if counts[(r["office_id"], r["year"])] > 1]
    if not shared:
        return []
    parts = sorted((writer.version / "facts").rglob("*.parquet"))
    table = pads.dataset([str(p) for p in parts]).to_table(filter=pads.field("report").isin(shared))
    return check(table.to_pylist(), list(reports.values()))


def worker_count(text: str | None) -> int | None:
    if text is None:
        return None
    n = int(text)
    if n < 1:
        raise ValueError("--workers must be at least 1")
    return min(n, (os.cpu_count() or 1) * 4)
