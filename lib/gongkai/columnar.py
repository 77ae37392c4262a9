"""The dataset's big form: Parquet files under DIR/columnar/, one committed version at a time.

Layout of a version (DIR/columnar/<version>/):

    facts/<province>/<year>.parquet    the facts of one province and data year (FACT_COLUMNS + province),
                                       sorted by district and office, so a district's rows are a few row groups
    reports/<province>.parquet         REPORT_COLUMNS + province
    findings.parquet, offices.parquet, places.parquet (district, city, province)

DIR/columnar/CURRENT names the committed version. A Writer fills a new version folder, fsyncs it and then
replaces CURRENT atomically (write temp, fsync, os.replace): a crash, a killed worker or a killed client
before that leaves the previous version and its CURRENT untouched and readable; the half-written folder is
removed by the next writer. The previous version is kept one commit longer for readers still scanning it.

The CSV tables (facts.csv, reports.csv, findings.csv, offices.csv, places.csv) stay the small,
git-friendly and Excel-readable form of a district's dataset; gongkai.dataset.load() reads either form,
gongkai.views_sql queries either lazily with DuckDB.
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from gongkai.atomic import write_atomically
from gongkai.model import FACT_COLUMNS, FINDING_COLUMNS, REPORT_COLUMNS

FOLDER = "columnar"
POINTER = "CURRENT"
PLACE_COLUMNS = ["district", "city", "province"]
OFFICE_COLUMNS = ["office_id", "name", "aliases", "district", "kind"]
TABLE_COLUMNS = {"facts": FACT_COLUMNS, "reports": REPORT_COLUMNS, "findings": FINDING_COLUMNS,
                 "offices": OFFICE_COLUMNS, "places": PLACE_COLUMNS}
INT_COLUMNS = {"year", "title_year", "start", "end", "facts", "errors", "warnings"}
FLOAT_COLUMNS = {"value", "expected", "actual"}
BOOL_COLUMNS = {"full_year"}


def current(data_dir) -> Path | None:
    """The committed version folder of data_dir's big form, or None when it has none."""
    pointer = Path(data_dir) / FOLDER / POINTER
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    version = pointer.parent / name
    return version if name and version.is_dir() else None


def is_columnar(data_dir) -> bool:
    return current(data_dir) is not None


def prefer_columnar(data_dir) -> bool:
    """True when data_dir has a committed big form not older than its facts.csv (or no facts.csv)."""
    data_dir = Path(data_dir)
    if not is_columnar(data_dir):
        return False
    csv_path = data_dir / "facts.csv"
    if not csv_path.is_file():
        return True
    return (data_dir / FOLDER / POINTER).stat().st_mtime >= csv_path.stat().st_mtime


def files(data_dir, table: str) -> list[str]:
    """The Parquet files of table in the committed version (sorted), [] when it has none."""
    version = current(data_dir)
    if version is None:
        return []
    if (version / f"{table}.parquet").is_file():
        return [str(version / f"{table}.parquet")]
    return sorted(str(p) for p in (version / table).rglob("*.parquet"))


def arrow_schema(table: str):
    import pyarrow as pa
    fields = []
    for c in TABLE_COLUMNS[table] + (["province"] if table in ("facts", "reports") else []):
        kind = (pa.int64() if c in INT_COLUMNS else pa.float64() if c in FLOAT_COLUMNS
                else pa.bool_() if c in BOOL_COLUMNS else pa.string())
        fields.append(pa.field(c, kind))
    return pa.schema(fields)


def to_arrow(table: str, frame):
    """frame (pandas) as an Arrow table of table's schema: missing string columns '', missing numbers null."""
    import pandas as pd
    import pyarrow as pa
    schema = arrow_schema(table)
    columns = {}
    for field in schema:
        if field.name in frame.columns:
            col = frame[field.name]
        else:
            col = pd.Series([None if field.name in INT_COLUMNS | FLOAT_COLUMNS | BOOL_COLUMNS else ""] * len(frame))
        if pa.types.is_string(field.type):
            col = col.astype("string").fillna("")
        columns[field.name] = pa.array(col, type=field.type, from_pandas=True)
    return pa.table(columns, schema=schema)


class Writer:
    """Write a new version of data_dir's big form; commit() makes it current atomically.

    Use as a context manager: leaving the block with an exception (Ctrl-C included) removes the half-written
    version and leaves CURRENT as it was."""

    def __init__(self, data_dir):
        self.root = Path(data_dir) / FOLDER
        self.root.mkdir(parents=True, exist_ok=True)
        self._clean()
        self.name = f"v{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
        self.version = self.root / f".{self.name}.tmp"
        self.version.mkdir()
        self.committed = False

    def _clean(self) -> None:
        """Drop unfinished versions of writers that died (.*.tmp folders whose pid is gone)."""
        for stale in self.root.glob(".v*.tmp"):
            try:
                pid = int(stale.name.split("-")[1])
            except (IndexError, ValueError):
                pid = -1
            if pid != os.getpid() and not _alive(pid):
                shutil.rmtree(stale, ignore_errors=True)

    def write(self, table: str, frame, part: str | None = None, sort_by: list[str] | None = None) -> Path:
        """Write frame as table (a part file under table/ when part is given, e.g. '北京市/2017')."""
        import pyarrow.parquet as pq
        if sort_by:
            frame = frame.sort_values(sort_by, kind="stable")
        path = self.version / (f"{table}/{part}.parquet" if part else f"{table}.parquet")
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(to_arrow(table, frame), path, compression="zstd", row_group_size=256_000)
        return path

    def commit(self) -> Path:
        """fsync the version, rename it into place, point CURRENT at it, drop versions older than the previous."""
        for dirpath, _, filenames in os.walk(self.version):
            for name in filenames:
                with open(os.path.join(dirpath, name), "rb") as f:
                    os.fsync(f.fileno())
        final = self.root / self.name
        os.replace(self.version, final)
        previous = current(self.root.parent)
        write_atomically(self.root / POINTER, self.name + "\n")
        self.committed = True
        keep = {self.name, previous.name if previous else ""}
        for old in self.root.glob("v*"):
            if old.is_dir() and old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)
        return final

    def abort(self) -> None:
        if not self.committed:
            shutil.rmtree(self.version, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.abort()
        return False


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_table(data_dir, table: str, columns: list[str] | None = None, filters=None):
    """One table of the committed big form as pandas with the CSV form's dtypes (gongkai.store.read_table)."""
    import pandas as pd
    import pyarrow.parquet as pq
    import pyarrow as pa
    names = TABLE_COLUMNS[table]
    paths = files(data_dir, table)
    if not paths:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in (columns or names)})
    arrow = pa.concat_tables([pq.read_table(p, columns=columns, filters=filters) for p in paths])
    frame = arrow.to_pandas()
    for c in frame.columns:
        if c in INT_COLUMNS:
            frame[c] = frame[c].astype("Int64")
        elif c in FLOAT_COLUMNS:
            frame[c] = frame[c].astype("float64")
        elif c in BOOL_COLUMNS:
            frame[c] = frame[c].astype("boolean")
        else:
            frame[c] = frame[c].astype("string").fillna("")
    wanted = [c for c in (columns or names) if c in frame.columns]
    return frame[wanted].reset_index(drop=True)
