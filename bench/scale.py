"""Scale figures (issue #11), measured side by side in one run on this machine, with its load average.

1. views over a synthetic country (GONGKAI_BENCH_OFFICES offices, default 40,000, × 2011–2025): a provincial
   volume table and a national coverage table, each cold (a fresh process: import, load, query), DuckDB on
   the Parquet form against the pandas-on-CSV baseline (gongkai.load + gongkai.views); wall time and the
   process's peak memory (targets: ≤ 5 s, ≤ 2 GB).
2. distributed ingest of synthetic report texts (GONGKAI_BENCH_TEXTS, default 20,000): throughput on 1 and
   2 Dask workers (target 2 workers ≥ 1.7×), peak memory per worker at 5,000 and at the full count (flat),
   and precision/recall of what was ingested against the synthetic truth (target ≥ 0.99).

The synthetic countries are generated once into GONGKAI_BENCH_DIR (default /tmp/gongkai-bench-scale) and reused.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

LIB = Path(__file__).resolve().parents[1] / "lib"
WORK = Path(os.environ.get("GONGKAI_BENCH_DIR", "/tmp/gongkai-bench-scale"))
OFFICES = int(os.environ.get("GONGKAI_BENCH_OFFICES", "40000"))
TEXTS = int(os.environ.get("GONGKAI_BENCH_TEXTS", "20000"))
PARQUET_ONLY = os.environ.get("GONGKAI_BENCH_PARQUET_ONLY") == "1"   # no CSV form, no pandas baseline
YEARS = list(range(2011, 2026))

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
engine, view, data, province = sys.argv[1:5]
if engine == "duckdb":
    from gongkai import views_sql
    with views_sql.Source(data, form="parquet") as src:
        if view == "volume":
            frame = views_sql.volume(src, province=province, by="district")
        else:
            frame = views_sql.coverage(src, by="province")
else:
    import pandas as pd
    from gongkai import views
    from gongkai.dataset import load
    ds = load(data, form="csv")
    places = pd.read_csv(f"{data}/places.csv", dtype=str)
    if view == "volume":
        districts = set(places[places.province == province].district)
        offices = ds.offices[ds.offices.district.isin(districts) & (ds.offices.kind != "district_government")]
        frame = views.publication_volume(ds, offices=list(offices.office_id))
        frame = frame.groupby(["district", "year"]).agg(reporting=("value", "count"), items=("value", "sum"),
                                                         median_per_office=("value", "median")).reset_index()
    else:
        frame = views.coverage(ds)
        frame = frame.merge(places, on="district").groupby(["province", "year"]).agg(
            offices=("office_id", "size"), reporting=("report_present", "sum"), facts=("facts", "sum")).reset_index()
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
print(json.dumps({"seconds": time.perf_counter() - t0, "peak_mb": peak, "rows": len(frame)}))
"""


def load_avg() -> str:
    return "load %.2f %.2f %.2f" % os.getloadavg()


def country(offices: int, texts: bool, name: str) -> Path:
    out = WORK / name
    if (out / "done.json").is_file():
        return out
    shutil.rmtree(out, ignore_errors=True)
    sys.path.insert(0, str(LIB))
    from gongkai.synth import generate
    t0 = time.perf_counter()
    form = "csv" if texts else ("parquet" if PARQUET_ONLY else "both")
    summary = generate(out, offices, YEARS, seed=11, texts=texts, form=form)
    took = time.perf_counter() - t0
    (out / "done.json").write_text(json.dumps({"facts": summary.facts, "reports": summary.reports,
                                               "offices": summary.offices, "seconds": took}))
    return out


CHILD_MEMORY = int(os.environ.get("GONGKAI_BENCH_CHILD_GB", "12")) * 2 ** 30   # a baseline past this is stopped


def _cap_memory() -> None:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))


def child(engine: str, view: str, data: Path, province: str) -> dict:
    """One view, cold, in a fresh process; the pandas one with its address space capped (CHILD_MEMORY): the pandas-on-CSV
    baseline at national size needs more than the machine can spare, and is reported as over the cap."""
    env = os.environ | {"PYTHONPATH": str(LIB)}
    proc = subprocess.run([sys.executable, "-c", CHILD, engine, view, str(data), province], env=env,
                          capture_output=True, text=True, preexec_fn=_cap_memory if engine == "pandas" else None)
    if proc.returncode:
        last = proc.stderr.strip().splitlines()[-1:]
        if any("MemoryError" in line for line in last) or proc.returncode < 0:
            return {"error": [f"stopped: needs more than {CHILD_MEMORY / 2 ** 30:.0f} GB (GONGKAI_BENCH_CHILD_GB)"]}
        return {"error": last}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2 ** 20
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2 ** 20


def views_section() -> None:
    data = country(OFFICES, False, f"country-{OFFICES}" + ("-parquet" if PARQUET_ONLY else ""))
    info = json.loads((data / "done.json").read_text())
    print(f"synthetic country: {info['offices']} offices × {len(YEARS)} years: {info['reports']} reports, "
          f"{info['facts']:,} facts (generated in {info['seconds']:.0f} s); "
          f"facts.csv {size_mb(data / 'facts.csv') if not PARQUET_ONLY else 0:.0f} MB, "
          f"Parquet form {size_mb(data / 'columnar'):.0f} MB")
    import csv
    with open(data / "places.csv", encoding="utf-8") as f:
        province = next(csv.DictReader(f))["province"]
    for view, label in (("volume", f"provincial volume table ({province}, by district)"),
                        ("coverage", "national coverage table (by province)")):
        for engine in ("duckdb",) if PARQUET_ONLY else ("duckdb", "pandas"):
            before = load_avg()
            r = child(engine, view, data, province)
            if "error" in r:
                print(f"  {label:52s} {engine:7s} failed: {r['error']}")
                continue
            ok = "ok" if r["seconds"] <= 5 and r["peak_mb"] <= 2048 else "over target"
            print(f"  {label:52s} {engine + (' (Parquet)' if engine == 'duckdb' else ' (CSV)'):16s} "
                  f"{r['seconds']:6.1f} s cold, peak {r['peak_mb']:6.0f} MB, {r['rows']} rows  [{ok}; {before}]",
                  flush=True)


CITY_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from gongkai import briefs
data, city, out = sys.argv[1:4]
result = briefs.render_brief("city", dict(city=city, years="2011-2025"), out, data_dir=data)
print(json.dumps({"seconds": time.perf_counter() - t0, "size": result.size}))
"""


def city_section() -> None:
    """A city brief over 16 districts × 300 offices (Parquet form), built cold: fresh process and kernel."""
    out = WORK / "city-16x300"
    if not (out / "done.json").is_file():
        shutil.rmtree(out, ignore_errors=True)
        sys.path.insert(0, str(LIB))
        from gongkai.synth import generate
        s = generate(out, 16 * 300, YEARS, seed=12, form="parquet", offices_per_district=300, districts_per_city=16)
        (out / "done.json").write_text(json.dumps({"facts": s.facts, "offices": s.offices}))
    import csv
    with open(out / "places.csv", encoding="utf-8") as f:
        city = next(csv.DictReader(f))["city"]
    info = json.loads((out / "done.json").read_text())
    before = load_avg()
    env = os.environ | {"PYTHONPATH": str(LIB)}
    proc = subprocess.run([sys.executable, "-c", CITY_CHILD, str(out), city, str(WORK / "city-out")], env=env,
                          capture_output=True, text=True)
    if proc.returncode:
        print(f"  city brief failed: {proc.stderr.strip().splitlines()[-1:]}")
        return
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"  city brief, 16 districts × 300 offices ({info['facts']:,} facts, Parquet): {r['seconds']:.1f} s cold "
          f"(kernel start included), {r['size'] / 2**20:.1f} MB  [{'ok' if r['seconds'] <= 10 else 'over target'}; "
          f"{before}]", flush=True)


def ingest_run(files: list[str], workers: int, data_root: Path) -> tuple[float, list[float], object]:
    sys.path.insert(0, str(LIB))
    from dask.distributed import Client, LocalCluster
    from gongkai.distributed_ingest import distributed_ingest, worker_peak_rss
    data = data_root / f"ingest-{workers}w-{len(files)}"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    src = WORK / f"texts-{TEXTS}"
    for name in ("offices.csv", "places.csv"):
        shutil.copy(src / name, data / name)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      memory_limit=0) as cluster, Client(cluster) as client:
        client.run(lambda: __import__("gongkai.extract"))      # warm imports: not part of the throughput
        t0 = time.perf_counter()
        summary = distributed_ingest(files, data, client=client, progress=False)
        seconds = time.perf_counter() - t0
        peaks = sorted(v / 2 ** 20 for v in client.run(worker_peak_rss).values())
    return seconds, peaks, (data, summary)


def accuracy(data: Path, src: Path, files: list[str]) -> tuple[float, float]:
    import pandas as pd
    sys.path.insert(0, str(LIB))
    from gongkai.dataset import load
    rel = {str(Path(f).relative_to(src / "reports")) for f in files}
    truth = pd.read_csv(src / "truth.csv", dtype={"dim": str}, keep_default_na=False)
    truth = truth[truth.path.isin(rel)]
    facts = load(data, form="parquet").facts
    key = lambda df: Counter(zip(df.office_id.astype(str), df.year.astype(int), df.metric.astype(str),  # noqa: E731
                                 df.dim.astype(str), df.value.astype(float)))
    want, got = key(truth), key(facts)
    matched = sum((want & got).values())
    return matched / max(sum(got.values()), 1), matched / max(sum(want.values()), 1)


def ingest_section() -> None:
    offices = max(10, int(TEXTS / (len(YEARS) * 0.45)))   # about 0.5 reports per office-year
    src = WORK / f"texts-{TEXTS}"
    if not (src / "done.json").is_file():
        country(offices, True, f"texts-{TEXTS}")
    files = sorted(str(p) for p in (src / "reports").rglob("*.txt"))
    files = files[:TEXTS]
    print(f"synthetic texts: {len(files)} reports (pre2019 prose, fmt2019, fmt2021) from {offices} offices")
    small = files[: min(5000, len(files))]
    rates = {}
    for workers in (1, 2):
        before = load_avg()
        seconds, peaks, (data, summary) = ingest_run(files, workers, WORK)
        rates[workers] = len(files) / seconds
        print(f"  {len(files)} texts on {workers} worker(s): {seconds:6.1f} s, {rates[workers]:6.1f} files/s, "
              f"peak per worker {', '.join(f'{p:.0f}' for p in peaks)} MB  [{before}]", flush=True)
        if workers == 2:
            precision, recall = accuracy(data, src, files)
            print(f"  accuracy of ingest vs synthetic truth: precision {precision:.4f}, recall {recall:.4f} "
                  f"({summary.facts} facts from {summary.reports} reports)")
    print(f"  2 workers / 1 worker throughput: {rates[2] / rates[1]:.2f}× (target ≥ 1.7×; the machine has "
          f"{os.cpu_count()} cores shared with other work: {load_avg()})")
    before = load_avg()
    seconds, peaks, _ = ingest_run(small, 2, WORK)
    print(f"  per-worker peak memory, 2 workers: {len(small)} texts {', '.join(f'{p:.0f}' for p in peaks)} MB "
          f"(at {len(files)} see above)  [{before}]")


def main(corpus: Path | None = None) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, {load_avg()}")
    if os.environ.get("GONGKAI_BENCH_SKIP_VIEWS") != "1":
        views_section()
    if os.environ.get("GONGKAI_BENCH_SKIP_CITY") != "1":
        city_section()
    if os.environ.get("GONGKAI_BENCH_SKIP_INGEST") != "1":
        ingest_section()


if __name__ == "__main__":
    main()
