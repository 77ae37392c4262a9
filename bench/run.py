"""`make bench`: print the project's speed and size figures, one section per concern.

Each bench/<name>.py has main(corpus: Path) -> None and prints its own figures (medians where repeated).
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SECTIONS = [("ingest", "ingest speed over the corpus (issue #2)"),
            ("brief", "one district brief: build time, size, browser render time (issue #3)"),
            ("build", "scheduled builds: naive loop vs gongkai build (issue #4)"),
            ("scale", "a synthetic country: views cold on Parquet vs pandas on CSV, ingest on Dask workers (issue #11)")]


def run_section(name: str, corpus: Path) -> bool:
    path = HERE / f"{name}.py"
    if not path.exists():
        print(f"[{name}] missing: {path}")
        return False
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    t0 = time.perf_counter()
    module.main(corpus)
    print(f"[{name}] section took {time.perf_counter() - t0:.1f} s\n", flush=True)
    return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=HERE.parent.parent / "shared" / "corpus")
    ap.add_argument("--only", choices=[name for name, _ in SECTIONS], action="append")
    args = ap.parse_args()
    ok = True
    for name, title in SECTIONS:
        if args.only and name not in args.only:
            continue
        print(f"== {name}: {title} ==", flush=True)
        ok &= run_section(name, args.corpus.resolve())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
