"""Scheduled builds (issue #4): the naive papermill + nbconvert loop against `gongkai build`, side by side.

The same 16 briefs (the 西城区 district brief and 15 office briefs of the sample data in data/), in
ROUNDS rounds (env GONGKAI_BENCH_ROUNDS, default 3) of (a), (b), (c) run one after the other, so each
ratio compares runs made side by side under the same conditions; medians are printed:
  (a) naive loop: `papermill -k gongkai` CLI then `jupyter nbconvert --to html --no-input` CLI per brief,
      one brief at a time;
  (b) `gongkai build -j 1 --force`;
  (c) `gongkai build --force` with the default -j (the number of cores);
  (d) `gongkai build` again with nothing changed (median of 5).
Peak memory of (c) is polled every 50 ms with psutil over the whole process tree (build process, pool
workers, kernels): the sum of RSS (counts pages shared between processes once per process, so it
overstates) and the sum of PSS (shared pages split between their sharers: the honest total).
The corpus argument is unused: the briefs come from the committed sample dataset.
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
DISTRICT = "西城区"
OFFICE_BRIEFS = 15


def _config(work: Path) -> Path:
    """A config for 1 district brief + the first OFFICE_BRIEFS offices of DISTRICT with reports."""
    from gongkai.build import DataSnapshot

    data = DataSnapshot.read(ROOT / "data")
    offices = [o for o in data.offices_of(DISTRICT) if data.years_with_reports([o])][:OFFICE_BRIEFS]
    if len(offices) < OFFICE_BRIEFS:
        raise SystemExit(f"the sample data has only {len(offices)} offices with reports in {DISTRICT}")
    path = work / "bench.yaml"
    path.write_text(f"output: {work / 'out'}\ndata: {ROOT / 'data'}\nbriefs:\n"
                    f"  - kind: district\n    district: {DISTRICT}\n    years: 2013-2018\n"
                    f"  - kind: office\n    offices: [{', '.join(offices)}]\n    years: all\n", encoding="utf-8")
    return path


def _run(cmd: list[str], **kwargs) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return time.perf_counter() - t0


def naive_loop(config_path: Path, work: Path) -> float:
    """(a): papermill CLI then nbconvert CLI for every brief, one at a time; returns seconds."""
    import yaml

    from gongkai.build import load_config
    from gongkai.params import brief_slug

    config = load_config(config_path)
    executed, html = work / "naive_executed", work / "naive_html"
    for folder in (executed, html):      # a fresh start each round
        shutil.rmtree(folder, ignore_errors=True)
    executed.mkdir()
    t0 = time.perf_counter()
    for spec in config.briefs:
        slug = brief_slug(spec.kind, spec.params)
        params = yaml.safe_dump(dict(spec.params, data_dir=str(config.data_dir)), allow_unicode=True)
        notebook = executed / f"{slug}.ipynb"
        _run([str(BIN / "papermill"), "-k", "gongkai", "--no-progress-bar", "-y", params,
              str(spec.notebook), str(notebook)], cwd=spec.notebook.parent)
        _run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", "--output-dir", str(html),
              str(notebook)])
    seconds = time.perf_counter() - t0
    assert len(list(html.glob("*.html"))) == len(config.briefs)
    return seconds


class TreeMemory:
    """Poll a process and its descendants; keep the peak sums of RSS and PSS (bytes)."""

    def __init__(self, pid: int, interval: float = 0.05):
        import psutil

        self.root, self.interval = psutil.Process(pid), interval
        self.peak_rss = self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        import psutil

        while not self._stop.is_set():
            rss = pss = 0
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                break
            for proc in procs:
                try:
                    info = proc.memory_full_info()
                    rss, pss = rss + info.rss, pss + getattr(info, "pss", info.rss)
                except psutil.Error:
                    pass
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def gongkai_build(config: Path, *args: str, memory: bool = False) -> tuple[float, TreeMemory | None]:
    cmd = [str(BIN / "gongkai"), "build", "--config", str(config), *args]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    watcher = TreeMemory(proc.pid) if memory else None
    output, _ = proc.communicate()
    seconds = time.perf_counter() - t0
    if watcher:
        watcher.stop()
    if proc.returncode != 0:
        raise SystemExit(f"gongkai build failed ({proc.returncode}):\n{output[-3000:]}")
    return seconds, watcher


def main(corpus: Path | None = None) -> None:
    """Print the four times, the ratios against the targets, and the peak memory of (c)."""
    import os

    sys.path.insert(0, str(ROOT / "lib"))
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-build-") as tmp:
        work = Path(tmp)
        config = _config(work)
        n = 1 + OFFICE_BRIEFS
        cores = os.cpu_count()
        rounds = int(os.environ.get("GONGKAI_BENCH_ROUNDS", "3"))
        print(f"{n} briefs (1 district brief + {OFFICE_BRIEFS} office briefs of {DISTRICT}, sample data), "
              f"{cores} cores; {rounds} rounds of (a), (b), (c) side by side, medians; (d) median of 5", flush=True)
        runs: dict[str, list[float]] = {"a": [], "b": [], "c": []}
        peaks = []
        for r in range(1, rounds + 1):
            runs["a"].append(naive_loop(config, work))
            runs["b"].append(gongkai_build(config, "-j", "1", "--force")[0])
            c_seconds, mem = gongkai_build(config, "--force", memory=True)
            runs["c"].append(c_seconds)
            peaks.append(mem)
            print(f"round {r}: (a) {runs['a'][-1]:.1f} s, (b) {runs['b'][-1]:.1f} s, (c) {runs['c'][-1]:.1f} s, "
                  f"(c)/(a) {runs['c'][-1] / runs['a'][-1]:.3f}", flush=True)
        a, b, c = (statistics.median(runs[k]) for k in "abc")
        ratio = statistics.median(ci / ai for ai, ci in zip(runs["a"], runs["c"]))
        mem = max(peaks, key=lambda m: m.peak_pss)
        print(f"(a) naive loop, papermill CLI + nbconvert CLI per brief: {a:7.1f} s  ({a / n:.1f} s per brief)")
        print(f"(b) gongkai build -j 1 --force:                         {b:7.1f} s  ({b / n:.1f} s per brief)")
        print(f"(c) gongkai build --force (default -j = {cores}):              {c:7.1f} s  ({c / n:.1f} s per brief)")
        d = statistics.median(gongkai_build(config)[0] for _ in range(5))
        print(f"(d) gongkai build, nothing changed (median of 5):       {d:7.2f} s  (target <= 1.5 s: "
              f"{'met' if d <= 1.5 else 'MISSED'})")
        print(f"(c)/(a) = {ratio:.3f} (median of the rounds' ratios; target <= 0.25: {'met' if ratio <= 0.25 else 'MISSED'});  "
              f"(b)/(a) = {b / a:.3f};  (c)/(b) = {c / b:.3f}")
        print(f"peak memory of (c) (highest of the rounds), summed over the process tree: {mem.peak_pss / 2**20:.0f} MiB PSS "
              f"({mem.peak_rss / 2**20:.0f} MiB RSS, which counts shared pages once per process)")
        print("load average at the end (1/5/15 min): " + " / ".join(f"{x:.1f}" for x in os.getloadavg())
              + " (other work on the machine slows (c) more than (a): compare on a quiet machine)")


if __name__ == "__main__":
    main()
