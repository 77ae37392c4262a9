"""The dataset tables on disk: CSV written atomically as a set, read back with the contract's dtypes.

commit_tables() writes facts/reports/findings to temp files in the data folder, fsyncs them, writes a
commit marker naming them, replaces the tables, then drops the marker: a crash before the marker leaves
the previous tables, a crash after it is completed by recover() (roll forward) before the next read or
write. Readers never see a half-written file, and never a mix of old and new tables.
"""
from __future__ import annotations

import csv
import json
import logging
import os
import tempfile
from pathlib import Path

from gongkai.atomic import FILE_MODE
from gongkai.model import FACT_COLUMNS, FINDING_COLUMNS, REPORT_COLUMNS

log = logging.getLogger(__name__)

TABLES = {"facts.csv": FACT_COLUMNS, "reports.csv": REPORT_COLUMNS, "findings.csv": FINDING_COLUMNS}
COMMIT_MARKER = ".ingest-commit.json"


def csv_value(value) -> object:
    """A cell as written to CSV: '' for missing, whole floats without '.0' (267, not 267.0)."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    return value


def write_rows(f, columns: list[str], rows: list[dict]) -> None:
    """CSV with a header to an open text file."""
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([csv_value(row.get(k)) for k in columns] for row in rows)


def _write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        write_rows(f, columns, rows)
        f.flush()
        os.fsync(f.fileno())


def recover(data_dir: Path) -> None:
    """Finish a commit that was interrupted after all new tables were written (roll forward), or drop the
    temp files of one interrupted before (the previous tables stay). Called before reading or writing."""
    data_dir = Path(data_dir)
    marker = data_dir / COMMIT_MARKER
    if marker.is_file():
        try:
            moves = json.loads(marker.read_text(encoding="utf-8"))
        except ValueError:
            moves = {}
        for tmp, target in moves.items():
            if (data_dir / tmp).is_file():
                os.replace(data_dir / tmp, data_dir / target)
        marker.unlink()
        log.warning("%s: completed an interrupted ingest commit", data_dir)
    for stale in data_dir.glob(".*.csv.*.tmp"):
        stale.unlink(missing_ok=True)


def commit_tables(data_dir: Path, tables: dict[str, list[dict]]) -> None:
    """Write facts/reports/findings atomically as a set: temp files in data_dir, fsync, a commit marker naming
    them (written atomically), os.replace each, drop the marker. A crash before the marker leaves the previous
    tables; after it, recover() completes the set. Readers never see a half-written file."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    recover(data_dir)
    moves: dict[str, str] = {}
    try:
        for name, rows in tables.items():
            fd, tmp = tempfile.mkstemp(dir=data_dir, prefix=f".{name}.", suffix=".tmp")
            os.close(fd)
            os.chmod(tmp, FILE_MODE)   # mkstemp makes 0600 files; the tables are ordinary files
            moves[Path(tmp).name] = name
            _write_csv(Path(tmp), TABLES[name], rows)
        marker_tmp = data_dir / (COMMIT_MARKER + ".tmp")
        with open(marker_tmp, "w", encoding="utf-8") as f:
            json.dump(moves, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(marker_tmp, data_dir / COMMIT_MARKER)
    except BaseException:
        for tmp in moves:
            (data_dir / tmp).unlink(missing_ok=True)
        raise
    for tmp, name in moves.items():
        os.replace(data_dir / tmp, data_dir / name)
    _fsync_dir(data_dir)
    (data_dir / COMMIT_MARKER).unlink()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# columns read as numbers or booleans; every other column is a string ('' for empty)
INT_COLUMNS = {"year", "title_year", "start", "end", "facts", "errors", "warnings"}
FLOAT_COLUMNS = {"value", "expected", "actual"}
BOOL_COLUMNS = {"full_year"}
BOOLEANS = {"True": True, "False": False, "true": True, "false": False}


def read_table(path: Path, columns: list[str]):
    """One dataset CSV with the contract's dtypes: strings ('' for empty), Int64 counts/years, float values."""
    import pandas as pd
    dtypes = {c: "object" if c in INT_COLUMNS | FLOAT_COLUMNS | BOOL_COLUMNS else "string" for c in columns}
    df = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[], encoding="utf-8")
    for c in columns:
        if c not in df.columns:
            df[c] = ""
        if c in INT_COLUMNS:
            df[c] = pd.to_numeric(df[c].replace("", None), errors="coerce").astype("Int64")
        elif c in FLOAT_COLUMNS:
            df[c] = pd.to_numeric(df[c].replace("", None), errors="coerce").astype("float64")
        elif c in BOOL_COLUMNS:
            df[c] = df[c].map(BOOLEANS).astype("boolean")
        else:
            df[c] = df[c].astype("string").fillna("")
    return df[columns]
