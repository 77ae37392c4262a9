"""config: the project's paths are computed from where the package lies, and GONGKAI_DATA moves the dataset.

config reads the environment once, at import, so each case runs in a fresh interpreter (a subprocess)
that imports this checkout's gongkai."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, PROJECT_ROOT

LIB = PROJECT_ROOT / "lib"
PRINT_PATHS = ("import json; from gongkai import config; print(json.dumps({k: str(getattr(config, k)) for k in "
               "('PACKAGE_DIR', 'PROJECT_ROOT', 'DATA_DIR', 'NOTEBOOKS_DIR', 'OUTPUTS_DIR', 'TAXONOMY_DIR')}))")


def paths_in_subprocess(cwd: Path, **env: str) -> dict[str, Path]:
    environ = {k: v for k, v in os.environ.items() if k != "GONGKAI_DATA"}
    environ.update(env, PYTHONPATH=os.pathsep.join(filter(None, [str(LIB), environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-c", PRINT_PATHS], cwd=cwd, env=environ, capture_output=True,
                          text=True, check=True, timeout=60)
    return {k: Path(v) for k, v in json.loads(done.stdout).items()}


def test_paths_come_from_the_package_location(tmp_path):
    paths = paths_in_subprocess(tmp_path)  # run from elsewhere: the working directory does not matter
    assert paths["PACKAGE_DIR"] == LIB / "gongkai"
    assert paths["PROJECT_ROOT"] == PROJECT_ROOT
    assert paths["DATA_DIR"] == PROJECT_ROOT / "data"
    assert paths["NOTEBOOKS_DIR"] == PROJECT_ROOT / "notebooks"
    assert paths["OUTPUTS_DIR"] == PROJECT_ROOT / "outputs"
    assert paths["TAXONOMY_DIR"] == LIB / "gongkai" / "data"
    assert (paths["TAXONOMY_DIR"] / "metrics.csv").is_file()
    assert (paths["NOTEBOOKS_DIR"] / "district_brief.ipynb").is_file()


def test_gongkai_data_moves_only_the_dataset(tmp_path):
    elsewhere = tmp_path / "dataset"
    paths = paths_in_subprocess(tmp_path, GONGKAI_DATA=str(elsewhere))
    assert paths["DATA_DIR"] == elsewhere
    assert paths["NOTEBOOKS_DIR"] == PROJECT_ROOT / "notebooks" and paths["OUTPUTS_DIR"] == PROJECT_ROOT / "outputs"


def test_the_loaded_dataset_follows_gongkai_data(tmp_path):
    """gongkai.load() with no folder reads $GONGKAI_DATA: here a copy of the small fixture."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "dataset_small", data)
    environ = dict(os.environ, GONGKAI_DATA=str(data),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(LIB), os.environ.get("PYTHONPATH")])))
    load = ("import json, gongkai; ds = gongkai.load(); "
            "print(json.dumps([str(ds.data_dir), len(ds.reports), sorted(set(ds.reports.district))]))")
    done = subprocess.run([sys.executable, "-c", load], cwd=tmp_path, env=environ, capture_output=True, text=True,
                          check=True, timeout=60)
    assert json.loads(done.stdout) == [str(data), 13, ["密云区", "西城区"]]
