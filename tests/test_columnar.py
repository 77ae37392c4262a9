"""gongkai.columnar: the Parquet form, committed atomically; load() reads either form alike."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from gongkai import columnar
from gongkai.dataset import load
from gongkai.synth import generate

YEARS = [2018, 2019, 2020, 2021]


@pytest.fixture(scope="module")
def country(tmp_path_factory):
    out = tmp_path_factory.mktemp("country")
    generate(out, 120, YEARS, seed=5, form="both")
    return out


def test_load_reads_either_form_alike(country):
    a, b = load(country, form="parquet"), load(country, form="csv")
    for table in ("facts", "reports", "findings", "offices"):
        x, y = getattr(a, table), getattr(b, table)
        assert list(x.columns) == list(y.columns) and dict(x.dtypes) == dict(y.dtypes)
        key = list(x.columns)
        pd.testing.assert_frame_equal(x.sort_values(key).reset_index(drop=True),
                                      y.sort_values(key).reset_index(drop=True))


def test_partitioned_by_province_and_year(country):
    parts = columnar.files(country, "facts")
    assert parts and all(p.endswith(".parquet") for p in parts)
    assert {os.path.basename(p)[:4] for p in parts} == {str(y) for y in YEARS}


def test_aborted_writer_leaves_the_previous_version(country, tmp_path):
    before = columnar.current(country)
    with pytest.raises(RuntimeError):
        with columnar.Writer(country) as w:
            w.write("places", pd.DataFrame({"district": ["x"], "city": [""], "province": [""]}))
            raise RuntimeError("crash")
    assert columnar.current(country) == before
    assert not list((country / columnar.FOLDER).glob(".v*.tmp"))


KILLED_WRITER = """
import sys, time, pandas as pd
from gongkai import columnar
w = columnar.Writer(sys.argv[1])
w.write("places", pd.DataFrame({"district": ["x"], "city": [""], "province": [""]}))
print("written", flush=True)
time.sleep(60)
w.commit()
"""


def test_killed_client_leaves_the_previous_dataset_readable(country):
    before = columnar.current(country)
    facts_before = len(load(country, form="parquet").facts)
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(country)], stdout=subprocess.PIPE, text=True,
                            env=os.environ | {"PYTHONPATH": os.pathsep.join(sys.path)})
    assert proc.stdout.readline().strip() == "written"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert columnar.current(country) == before
    assert len(load(country, form="parquet").facts) == facts_before
    with columnar.Writer(country) as w:       # the next writer removes the dead one's folder
        w.abort()
    assert not list((country / columnar.FOLDER).glob(".v*.tmp"))


def test_csv_ingest_newer_than_parquet_wins(tmp_path):
    generate(tmp_path, 30, [2020], seed=1, form="both")
    assert columnar.prefer_columnar(tmp_path)
    time.sleep(0.01)
    (tmp_path / "facts.csv").touch()
    os.utime(tmp_path / "facts.csv", (time.time() + 5, time.time() + 5))
    assert not columnar.prefer_columnar(tmp_path)
