"""Ingest speed: `gongkai ingest` over the corpus text/HTML reports, repeated to at least 2,000 files.

Each corpus .txt/.md report is copied several times into a temp folder (every copy differs by a trailing
line, so content hashes differ and nothing is served from the cache); one copy in four is wrapped into an
HTML page with navigation, scripts and styles so the HTML reader is measured too. Each of 3 runs ingests
the folder into a fresh data dir in a child process pinned to one core. Prints reports/second (median of
the runs, ingest call only, interpreter start excluded) and the child's peak resident memory.
"""
from __future__ import annotations

import html
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

TARGET_FILES = 2000
RUNS = 3
CHILD = r"""
import json, os, resource, sys, time
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
from gongkai.ingest import ingest
t0 = time.perf_counter()
s = ingest([sys.argv[1]], sys.argv[2], force=True)
dt = time.perf_counter() - t0
print(json.dumps({"seconds": dt, "reports": s.reports, "failed": len(s.failed), "facts": s.facts,
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""
PAGE = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title><style>body{{margin:0}}</style>"
        "<script>var _hmt = _hmt || []; (function(){{var hm = document.createElement('script');}})();</script>"
        "</head><body><div class='nav'><a href='/'>首页</a><a href='/zwgk'>政务公开</a><a href='/nb'>年度报告</a>"
        "</div><div class='article'>{body}</div><div class='footer'>主办单位 copy {n}</div></body></html>")


def corpus_reports(corpus: Path) -> list[Path]:
    return sorted(p for part in ("seeds", "pages", "full") for p in (corpus / part).glob("*")
                  if p.suffix in (".txt", ".md", ".html", ".htm"))


def as_html(text: str, n: int) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return PAGE.format(title=html.escape(lines[0] if lines else ""), body=body, n=n)


def make_copies(sources: list[Path], folder: Path, target: int) -> tuple[int, int]:
    """Write at least target distinct files; (text files, html files)."""
    texts = {p: p.read_bytes() for p in sources}
    n = txt = htm = 0
    while n < target:
        for path, data in texts.items():
            if n % 4 == 3:
                page = as_html(data.decode("utf-8", errors="replace"), n)
                (folder / f"{n:05d}_{path.stem}.html").write_text(page, encoding="utf-8")
                htm += 1
            else:
                (folder / f"{n:05d}_{path.name}").write_bytes(data + f"\n\n(copy {n})\n".encode())
                txt += 1
            n += 1
    return txt, htm


def main(corpus: Path) -> None:
    """Print the ingest rate (reports/s, median of 3) and peak memory for ≥2,000 corpus text/HTML reports."""
    sources = corpus_reports(Path(corpus))
    if not sources:
        print(f"no corpus reports under {corpus}")
        return
    project = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        txt, htm = make_copies(sources, folder, TARGET_FILES)
        print(f"{txt + htm} files ({txt} text, {htm} HTML) from {len(sources)} corpus reports")
        results = []
        for run in range(RUNS):
            data = Path(tmp) / f"data{run}"
            out = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(data)], capture_output=True,
                                 text=True, cwd=project, env={**os.environ, "PYTHONWARNINGS": "ignore"})
            if out.returncode != 0:
                print(f"run {run + 1} failed:\n{out.stderr[-2000:]}")
                return
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
            r = results[-1]
            print(f"run {run + 1}: {r['reports']} reports in {r['seconds']:.2f} s = "
                  f"{r['reports'] / r['seconds']:.0f} reports/s ({r['failed']} failed, {r['facts']} facts)")
        rate = statistics.median(r["reports"] / r["seconds"] for r in results)
        peak = max(r["maxrss_kb"] for r in results) / 1024
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"ingest rate: {rate:.0f} reports/s (median of {RUNS}, one core; target >= 200)")
        print(f"peak memory: {max(peak, children):.0f} MB (max resident set of the ingest process)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "corpus")
