"""Benchmark of one district brief on the sample data in data/ (issue #3): not a timed test, it prints.

- build time cold: `gongkai brief district ...` in a fresh Python process, wall clock, median of 3
  (targets: <= 6 s), with the parts it is made of: kernel start (spawn -> kernel ready) and the imports a
  brief's first cell pays inside the kernel;
- size of the HTML (target <= 5.5 MB, plotly.js inlined once);
- browser render: headless Debian chromium via Playwright, time from navigation start until every
  figure div holds a drawn plotly chart, and the same measured from the load event (median of 3;
  target <= 1.5 s).
"""
from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
DATA = PROJECT / "data"
RUNS = 3
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
CHARTS_DRAWN = """() => [...document.querySelectorAll('.plotly-graph-div')].every(
    div => div.querySelector('svg.main-svg') && div.querySelector('svg.main-svg .trace, svg.main-svg .hm, svg.main-svg .annotation'))"""
KERNEL_IMPORTS = "from gongkai import briefs, charts, views\nimport pandas, plotly.graph_objects"


def _cold_build(params: dict, out: Path) -> tuple[float, Path]:
    years = f"{params['years'][0]}-{params['years'][-1]}"
    command = [sys.executable, "-c", "import sys; from gongkai.cli import main; sys.exit(main(sys.argv[1:]))",
               "brief", "district", "--district", params["district"], "--years", years, "--out", str(out)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT, env=None)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(f"brief failed: {done.stderr[-2000:]}")
    return seconds, Path(done.stdout.strip().splitlines()[-1])


async def _kernel_timings() -> tuple[float, float]:
    from gongkai import config, kernel
    manager = kernel.kernel_manager_class()(kernel_name=config.KERNEL_NAME)
    started = time.perf_counter()
    await manager.start_kernel()
    client = manager.client()
    client.start_channels()
    await client.wait_for_ready(timeout=60)
    ready = time.perf_counter() - started
    started = time.perf_counter()
    await client.execute_interactive(KERNEL_IMPORTS, timeout=60)
    imports = time.perf_counter() - started
    client.stop_channels()
    await manager.shutdown_kernel(now=True)
    return ready, imports


def _render_times(html: Path, chromium: str) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright
    from_start, from_load = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for _ in range(RUNS):
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(html.as_uri(), wait_until="commit")
            page.wait_for_function(CHARTS_DRAWN, polling=10, timeout=30000)
            drawn = page.evaluate("performance.now()")
            page.wait_for_load_state("load")
            load = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventStart")
            from_start.append(drawn / 1000)
            from_load.append(max(0.0, drawn - load) / 1000)
            page.close()
        browser.close()
    return from_start, from_load


def main(corpus: Path) -> None:
    """Print build time (cold), size and browser render time of one district brief of the sample data."""
    import shutil

    import gongkai
    from gongkai import briefs
    if not (DATA / "facts.csv").is_file():
        print(f"[brief] no sample data in {DATA} (make sample {corpus}); nothing measured")
        return
    params = briefs.suggest_params("district", gongkai.load(DATA))
    print(f"[brief] district brief {params['district']} {params['years'][0]}-{params['years'][-1]} "
          f"from {DATA} (corpus {corpus})")
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        builds = [_cold_build(params, Path(tmp) / f"run{i}") for i in range(RUNS)]
        seconds = [s for s, _ in builds]
        html = builds[-1][1]
        print(f"[brief] build, cold (fresh process): median {statistics.median(seconds):.2f} s of "
              f"{', '.join(f'{s:.2f}' for s in seconds)} (target <= 6 s)")
        timings = [asyncio.run(_kernel_timings()) for _ in range(RUNS)]
        print(f"[brief]   of which kernel start to ready: median {statistics.median(t[0] for t in timings):.2f} s; "
              f"imports of the first cell inside the kernel: median {statistics.median(t[1] for t in timings):.2f} s")
        size = html.stat().st_size
        print(f"[brief] size: {size:,} bytes = {size / 1e6:.2f} MB (target <= 5.5 MB)")
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        if not Path(chromium).exists():
            print("[brief] no chromium: render time not measured")
            return
        from_start, from_load = _render_times(html, chromium)
        print(f"[brief] charts drawn in headless chromium: median {statistics.median(from_start):.2f} s after "
              f"navigation start ({statistics.median(from_load):.2f} s after the load event) "
              f"of {', '.join(f'{s:.2f}' for s in from_start)} (target <= 1.5 s)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else PROJECT.parent / "shared" / "corpus")
