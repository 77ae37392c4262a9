"""Ingest on a Dask cluster: reading and extraction spread over workers, results streamed into the Parquet form.

distributed_ingest(paths, data_dir, scheduler=... | workers=N) lists the report files and sends them to the
workers in batches (a bounded number in flight, so memory stays flat however many files there are). Each
worker reads, hashes and extracts its files through the content-hash extraction cache (data_dir/.cache: an
unchanged file costs a hash, on any worker that sees the shared folder), runs the within-report checks, files
each report under an office of the registry (data_dir/offices.csv), applies the reviewed overrides and writes
the batch's facts as one Parquet part of the new version (gongkai.columnar.Writer) itself, so the client
only collects report rows, findings and the few figures the across-report checks need. The version becomes
current in one atomic step at the end: a killed worker's batch is rerun by Dask (its part is rewritten
whole), and a crash or a killed client leaves the previous dataset current and readable (the half-written
version is removed by the next writer). The same content found twice is kept once.

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


_REGISTRIES: dict[tuple, object] = {}   # per worker process: the registry, read once per file version


def _worker_registry(path: str):
    from gongkai.registry import load_registry
    stat = Path(path).stat() if Path(path).is_file() else None
    key = (path, stat.st_mtime_ns if stat else 0)
    if key not in _REGISTRIES:
        _REGISTRIES.clear()
        _REGISTRIES[key] = load_registry(Path(path))
    return _REGISTRIES[key]


def process_batch(paths: list[str], cache_dir: str, force: bool, registry_path: str, overrides: list[dict],
                  province_of: dict[str, str], part_path: str) -> dict:
    """On a worker: extract the files (extract_batch), file each report under an office, apply the overrides,
    and write the batch's facts to part_path (a Parquet part of the version being written). Returns what the
    client needs: per file (path, sha, report id, cached), failures, report and finding rows, new offices,
    the facts the across-year checks read, and the number of facts written."""
    import pyarrow.parquet as pq

    from gongkai.overrides import apply_overrides
    registry = _worker_registry(registry_path)
    out = {"files": [], "failed": [], "reports": {}, "findings": [], "new_offices": [], "carried": [],
           "facts": 0, "notes": [], "part": None}
    facts: list[dict] = []
    for path, sha, report, cached, error in extract_batch(paths, cache_dir, force):
        if report is None:
            out["failed"].append((path, error))
            continue
        out["files"].append((path, sha, report.report, cached))
        if report.report in out["reports"]:
            continue
        place = place_report(report, registry, Path(path))
        if place.is_new:
            office = registry.offices[place.office_id]
            out["new_offices"].append((office.office_id, office.name, office.district, office.kind))
        rows = fact_rows(report, place)
        facts += rows
        out["reports"][report.report] = report_row(report, place, len(rows))
        out["findings"] += finding_rows(report)
    mine = [o for o in overrides if o["report"] in out["reports"]]
    if mine:
        facts, out["notes"] = apply_overrides(facts, out["reports"], mine)
    out["carried"] = [f for f in facts if f["metric"] in ("req_carried_in", "req_carried_out")
                      or f["qualifier"] == "derived"]
    if facts:
        frame = pd.DataFrame(facts)
        frame["province"] = frame.district.map(province_of).fillna("")
        frame = frame.sort_values(["district", "office_id", "year"], kind="stable")
        Path(part_path).parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(columnar.to_arrow("facts", frame), part_path, compression="zstd")
        out["part"] = part_path
    out["facts"] = len(facts)
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
    from gongkai.overrides import read_overrides
    from gongkai.registry import Office, load_registry

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
    used_overrides: set[tuple] = set()
    try:
        with columnar.Writer(data_dir) as writer:
            batches = [files[i:i + batch] for i in range(0, len(files), batch)]
            n_workers = max(1, len(client.scheduler_info().get("workers", {})) or (workers or 1))
            window = n_workers * IN_FLIGHT_PER_WORKER
            registry_file = str(registry_path if registry_path.is_file() else config.DATA_DIR / "offices.csv")
            parts = writer.version / "facts" / "ingest"

            def submit(number: int):
                return client.submit(process_batch, batches[number], cache_dir, force, registry_file, overrides,
                                     province_of, str(parts / f"part-{number:06d}.parquet"), pure=False)

            queue = as_completed([submit(i) for i in range(min(window, len(batches)))])
            following = min(window, len(batches))
            strip: dict[str, set[str]] = {}      # part file -> report ids another part already holds
            for future in queue:
                result = future.result()
                future.release()
                if following < len(batches):
                    queue.add(submit(following))
                    following += 1
                summary.failed += result["failed"]
                fresh = set()
                for path, sha, rid, cached in result["files"]:
                    if sha in seen:
                        summary.duplicates.append((path, seen[sha]))
                        if rid in reports and result["part"]:
                            strip.setdefault(result["part"], set()).add(rid)
                        continue
                    seen[sha] = path
                    fresh.add(rid)
                    summary.cached += cached
                    summary.extracted += not cached
                for office_id, name, district, kind in result["new_offices"]:
                    if office_id not in registry.offices:
                        registry.add(Office(office_id=office_id, name=name, district=district, kind=kind))
                        summary.new_offices.append((office_id, name, district))
                kept = {rid: row for rid, row in result["reports"].items() if rid in fresh}
                reports.update(kept)
                findings += [f for f in result["findings"] if f["report"] in kept]
                carried += [f for f in result["carried"] if f["report"] in kept]
                summary.notes += result["notes"]
                used_overrides |= {(o["report"], o["metric"], o["dim"]) for o in overrides if o["report"] in kept}
                summary.facts += sum(row["facts"] for row in kept.values())
                step(len(result["files"]) + len(result["failed"]))
            _strip_duplicates(strip)
            if not reports:
                where = ", ".join(str(p) for p in paths)
                raise GongkaiError(f"no report could be read under {where} ({summary.files} file(s), "
                                   f"{len(summary.failed)} failed): the dataset in {data_dir} was left as it is")
            summary.notes += [f"override for unknown report {o['report']} ({o['metric']}) not applied"
                              for o in overrides if (o["report"], o["metric"], o["dim"]) not in used_overrides]
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


def _strip_duplicates(strip: dict[str, set[str]]) -> None:
    """Drop from each part file the reports another part already holds (the same content found twice)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    for part, rids in strip.items():
        table = pq.read_table(part)
        pq.write_table(table.filter(pc.invert(pc.is_in(table["report"], value_set=pa_array(rids)))), part,
                       compression="zstd")


def pa_array(values):
    import pyarrow as pa
    return pa.array(sorted(values), type=pa.string())


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
