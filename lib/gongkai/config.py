"""Project paths, computed once from the package location (override the data dir with GONGKAI_DATA)."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("GONGKAI_DATA", PROJECT_ROOT / "data"))
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
OUTPUTS_DIR = PROJECT_ROOT / "outputs"
TAXONOMY_DIR = PACKAGE_DIR / "data"
KERNEL_NAME = "gongkai"
