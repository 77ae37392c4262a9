"""Workspaces for the build tests (tests/test_build_*.py): a copy of tests/fixtures/dataset_small, the
fixture notebooks and a briefs.yaml in a temporary folder, plus helpers to run and inspect a build."""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
PROJECT_ROOT = TESTS.parent
DATASET = TESTS / "fixtures" / "dataset_small"
FIXTURE_NOTEBOOKS = TESTS / "fixtures" / "notebooks"

# 4 briefs: a district brief showing two offices, and three office briefs in two districts.
MAIN_CONFIG = """\
output: out
data: data
briefs:
  - kind: district
    district: 西城区
    offices: [xicheng.yuetan, xicheng.jinrongjie]
    years: all
  - kind: office
    offices: [xicheng.yuetan, xicheng.hostile1]
    years: 2017-2019
  - kind: office
    district: 密云区
    offices: all
"""
MAIN_NAMES = {"district/district-xicheng-2017-2019-o", "office/office-xicheng-yuetan-2017-2019",
              "office/office-xicheng-hostile1-2017-2019", "office/office-miyun-guoyuan-2017"}


def make_workspace(root: Path, config: str = MAIN_CONFIG, name: str = "briefs.yaml") -> Path:
    """A dataset copy (data/), the fixture notebooks (nb/) and a config in root; returns the config path."""
    if not (root / "data").exists():
        shutil.copytree(DATASET, root / "data")
        shutil.copytree(FIXTURE_NOTEBOOKS, root / "nb")
    path = root / name
    path.write_text(config, encoding="utf-8")
    return path


def names(items) -> set[str]:
    """Brief names, with the district brief's office-list hash cut to '-o' so tests need not know it."""
    return {re.sub(r"-o[0-9a-f]{8}$", "-o", getattr(i, "name", i)) for i in items}


def build(config: Path, *args: str) -> tuple[int, str]:
    """Run `gongkai build` in a fresh interpreter (as cron would); returns (exit status, stdout+stderr)."""
    proc = subprocess.run([sys.executable, "-m", "gongkai.cli", "build", "--config", str(config), *args],
                          capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout + proc.stderr


def html_files(out: Path) -> dict[str, bytes]:
    """Every brief under out, by path relative to out."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.glob("*/*.html"))}


def touch_fact(data: Path, office_id: str) -> None:
    """Correct one figure of an office in facts.csv (its first row's value + 1)."""
    path = data / "facts.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    row = next(r for r in rows[1:] if r[1] == office_id)
    row[7] = str(int(float(row[7])) + 1)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
