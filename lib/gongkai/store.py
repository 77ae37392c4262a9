"""The dataset tables on disk: CSV written atomically as a set, read back validated with the contract's dtypes.

commit_tables() writes facts/reports/findings (and the hidden sources index) to temp files in the data
folder, fsyncs them, writes a commit marker naming them, replaces the tables, then drops the marker: a
crash before the marker leaves the previous tables, a crash after it is completed by recover() (roll
forward) before the next read or write.

read_dataset_rows() is what every loader goes through (gongkai.load for notebooks, `brief` and `check`;
DataSnapshot for `build`): it finishes an interrupted commit (waiting for a live ingest to end its own),
reads the three tables, and refuses a corrupt dataset with a DatasetError naming the file, the line and
the problem: a missing column, a row with too few or too many fields, a number column holding something
else or a non-finite number, a file that ends in the middle of a row, and rows missing from a table
(reports.csv counts each report's facts, errors and warnings, so a facts.csv or findings.csv cut short
holds fewer rows than counted; a facts or findings row of a report reports.csv lacks shows reports.csv
cut short). A table replaced while it was read (a concurrent ingest) is read again, so a reader never
sees a mix of old and new tables.
"""
from __future__ import annotations

import csv
import io
import json
import logging
import math
import os
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

from gongkai.atomic import FILE_MODE
from gongkai.errors import DatasetError, GongkaiError, LockedError
from gongkai.model import FACT_COLUMNS, FINDING_COLUMNS, REPORT_COLUMNS

log = logging.getLogger(__name__)

TABLES = {"facts.csv": FACT_COLUMNS, "reports.csv": REPORT_COLUMNS, "findings.csv": FINDING_COLUMNS}
# the file each report was read from (absolute path as found): lets an ingest that cannot read a folder keep
# that folder's reports. Local to the machine (git-ignored), written with the tables; never validated.
SOURCES = ".sources.csv"
SOURCE_COLUMNS = ["report", "path"]
COMMIT_MARKER = ".ingest-commit.json"
_COMMIT_NAMES = {**TABLES, SOURCES: SOURCE_COLUMNS}
_TEMP_NAME = re.compile(r"^\.[a-z.]+\.csv\.[A-Za-z0-9_]+\.tmp$")
READ_ATTEMPTS = 5            # reads of a dataset that an ingest keeps replacing before giving up
COMMIT_WAIT = 10.0           # seconds a reader waits for a live ingest to finish its commit


def csv_value(value) -> object:
    """A cell as written to CSV: '' for missing, whole floats without '.0' (267, not 267.0)."""
    if value is None:
        return ""
    if isinstance(value, float):
        if not math.isfinite(value):
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
    temp files of one interrupted before (the previous tables stay). The caller holds the ingest lock (or
    knows no ingest runs): gongkai.ingest calls it first thing, readers through finish_commit()."""
    data_dir = Path(data_dir)
    marker = data_dir / COMMIT_MARKER
    if marker.is_file():
        try:
            moves = json.loads(marker.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            moves = {}
        if not isinstance(moves, dict):
            moves = {}
        for tmp, target in moves.items():
            # a marker names temp files of this folder and the tables they replace, nothing else
            if target in _COMMIT_NAMES and _TEMP_NAME.match(str(tmp)) and (data_dir / tmp).is_file():
                os.replace(data_dir / tmp, data_dir / target)
        marker.unlink()
        log.warning("%s: completed an interrupted ingest commit", data_dir)
    for stale in [*data_dir.glob(".*.csv.*.tmp"), data_dir / (COMMIT_MARKER + ".tmp")]:
        stale.unlink(missing_ok=True)


def finish_commit(data_dir: Path) -> None:
    """Before reading: complete an ingest commit that a crash interrupted, under the ingest lock. While a live
    ingest holds the lock with its marker down (it is replacing the tables) wait up to COMMIT_WAIT seconds."""
    from gongkai.locks import DirectoryLock

    data_dir = Path(data_dir)
    deadline = time.monotonic() + COMMIT_WAIT
    while (data_dir / COMMIT_MARKER).exists():
        try:
            with DirectoryLock(data_dir, what="ingest"):
                recover(data_dir)
            return
        except LockedError as exc:
            if time.monotonic() > deadline:
                raise GongkaiError(f"{exc}: it is writing the dataset; try again when it has finished") from exc
            time.sleep(0.05)
        except OSError as exc:
            raise GongkaiError(f"{data_dir}: cannot finish an interrupted ingest commit: {exc.strerror}") from exc


def commit_tables(data_dir: Path, tables: dict[str, list[dict]]) -> None:
    """Write facts/reports/findings (and SOURCES when given) atomically as a set: temp files in data_dir, fsync,
    a commit marker naming them (written atomically), os.replace each, drop the marker. A crash before the
    marker leaves the previous tables and no temp file; after it, recover() completes the set. OSError
    (a full disk...) passes through with the previous tables in place."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    recover(data_dir)
    moves: dict[str, str] = {}
    marker_tmp = data_dir / (COMMIT_MARKER + ".tmp")
    try:
        for name, rows in tables.items():
            fd, tmp = tempfile.mkstemp(dir=data_dir, prefix=f".{name.lstrip('.')}.", suffix=".tmp")
            os.close(fd)
            moves[Path(tmp).name] = name
            os.chmod(tmp, FILE_MODE)   # mkstemp makes 0600 files; the tables are ordinary files
            _write_csv(Path(tmp), _COMMIT_NAMES[name], rows)
        with open(marker_tmp, "w", encoding="utf-8") as f:
            json.dump(moves, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(marker_tmp, data_dir / COMMIT_MARKER)
    except BaseException:
        for tmp in moves:
            (data_dir / tmp).unlink(missing_ok=True)
        marker_tmp.unlink(missing_ok=True)
        raise
    for tmp, name in moves.items():
        os.replace(data_dir / tmp, data_dir / name)
    _fsync_dir(data_dir)
    (data_dir / COMMIT_MARKER).unlink()


def read_sources(data_dir: Path) -> dict[str, str] | None:
    """report id -> the absolute path its file was read from, as the last ingest recorded it; None when there is
    no readable record (a dataset from git, or one written before the record existed)."""
    path = Path(data_dir) / SOURCES
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return {r["report"]: r["path"] for r in csv.DictReader(f) if r.get("report") and r.get("path")}
    except (OSError, ValueError, csv.Error):
        return None


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
TYPED_COLUMNS = INT_COLUMNS | FLOAT_COLUMNS | BOOL_COLUMNS
# cells that may not be empty: what a row is about (a finding may belong to no report: a check that failed)
REQUIRED = {"facts.csv": {"report", "metric", "value"}, "reports.csv": {"report"},
            "findings.csv": {"check", "severity"}}


def _cell_problem(column: str, cell: str) -> str | None:
    """What is wrong with one non-empty cell of a typed column, or None."""
    if column in BOOL_COLUMNS:
        return None if cell in BOOLEANS else f"{column} {cell!r} is not True or False"
    try:
        number = float(cell)
    except ValueError:
        return f"{column} {cell!r} is not a number"
    if not math.isfinite(number):
        return f"{column} {cell!r} is not a finite number"
    if column in INT_COLUMNS and not number.is_integer():
        return f"{column} {cell!r} is not a whole number"
    return None


def read_rows(path: Path, columns: list[str]) -> tuple[list[str], list[list[str]]]:
    """The header and rows (lists of raw strings) of one dataset CSV, validated; DatasetError names the file,
    the line and the problem: not UTF-8, no header, a column of `columns` missing, a row whose field count is
    not the header's, an empty required cell, a typed column holding something else, a cut last row."""
    path = Path(path)
    required = REQUIRED.get(path.name, set())
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise DatasetError(path, "missing") from exc
    except OSError as exc:
        raise DatasetError(path, f"cannot read it: {exc.strerror}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DatasetError(path, f"not UTF-8 text ({exc.reason})", data.count(b"\n", 0, exc.start) + 1) from exc
    if not text:
        raise DatasetError(path, "the file is empty (no header row)")
    if not text.endswith(("\n", "\r")):          # every table is written with a line end after each row
        raise DatasetError(path, "the file ends in the middle of a row: it was cut short")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        missing = [c for c in columns if c not in header]
        if missing:
            raise DatasetError(path, f"the header lacks {', '.join(missing)} (a {path.name} has "
                                     f"{', '.join(columns)})", 1)
        width = len(header)
        typed = [(i, c) for i, c in enumerate(header) if c in columns and c in TYPED_COLUMNS]
        needed = [(i, c) for i, c in enumerate(header) if c in columns and c in required]
        rows = []
        for row in reader:
            if not row:
                continue
            if len(row) != width:
                raise DatasetError(path, f"{len(row)} fields where the header has {width}", reader.line_num)
            for i, c in needed:
                if not row[i]:
                    raise DatasetError(path, f"{c} is empty", reader.line_num)
            for i, c in typed:
                if row[i] and (problem := _cell_problem(c, row[i])):
                    raise DatasetError(path, problem, reader.line_num)
            rows.append(row)
    except csv.Error as exc:
        raise DatasetError(path, f"not a readable CSV file: {exc}", reader.line_num) from exc
    return header, rows


def check_consistency(data_dir: Path, tables: dict[str, tuple[list[str], list[list[str]]]]) -> None:
    """DatasetError when rows are missing from a table: a facts or findings row of a report reports.csv does not
    list, a report listed twice, or fewer facts/error/warning rows of a report than reports.csv counts.
    (More rows than counted are accepted: a finding added by hand does not make the dataset corrupt.)"""
    data_dir = Path(data_dir)
    header, rows = tables["reports.csv"]
    col = {c: header.index(c) for c in REPORT_COLUMNS}
    counted: dict[str, list[str]] = {}
    for row in rows:
        rid = row[col["report"]]
        if rid in counted:
            raise DatasetError(data_dir / "reports.csv", f"report {rid} is listed twice")
        counted[rid] = row
    held: Counter = Counter()
    for name, what in (("facts.csv", "facts"), ("findings.csv", "severity")):
        header, rows = tables[name]
        report_col, what_col = header.index("report"), header.index(what) if what in header else None
        for row in rows:
            rid = row[report_col]
            if rid and rid not in counted:
                raise DatasetError(data_dir / name, f"report {rid} is not in reports.csv: reports.csv is cut short "
                                                    f"or comes from another ingest")
            held[(rid, "facts" if name == "facts.csv" else row[what_col] + "s")] += 1
    for rid, row in counted.items():
        for column, table in (("facts", "facts.csv"), ("errors", "findings.csv"), ("warnings", "findings.csv")):
            expected = int(float(row[col[column]] or 0))
            if held[(rid, column)] < expected:
                what = "figure(s)" if column == "facts" else column[:-1] + " finding(s)"
                raise DatasetError(data_dir / table, f"holds {held[(rid, column)]} {what} of report {rid} where "
                                                     f"reports.csv counts {expected}: {table} is cut short or comes "
                                                     f"from another ingest")


def _identity(data_dir: Path) -> tuple:
    """What changes when an ingest replaces a table: each table's inode, mtime and size, and the marker."""
    out = []
    for name in TABLES:
        try:
            st = os.stat(data_dir / name)
            out.append((st.st_ino, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return (*out, (data_dir / COMMIT_MARKER).exists())


def read_dataset_rows(data_dir: Path) -> dict[str, tuple[list[str], list[list[str]]]]:
    """facts.csv, reports.csv and findings.csv of data_dir as validated (header, rows), consistent with each
    other; an interrupted commit is finished first. GongkaiError when a table is missing, DatasetError
    (file, line, problem) when one is corrupt or cut short."""
    data_dir = Path(data_dir)
    missing = [n for n in TABLES if not (data_dir / n).is_file()]
    if missing and not (data_dir / COMMIT_MARKER).exists():
        raise GongkaiError(f"no dataset in {data_dir}: {', '.join(missing)} missing (run `gongkai ingest DIR`)")
    for _ in range(READ_ATTEMPTS):
        finish_commit(data_dir)
        before = _identity(data_dir)
        tables: dict[str, tuple[list[str], list[list[str]]]] = {}
        problem: DatasetError | None = None
        try:
            for name, columns in TABLES.items():
                tables[name] = read_rows(data_dir / name, columns)
            check_consistency(data_dir, tables)
        except DatasetError as exc:
            problem = exc
        if _identity(data_dir) != before:
            continue                                   # an ingest replaced a table meanwhile: read the new set
        if problem is not None:
            raise problem
        return tables
    raise GongkaiError(f"{data_dir}: the dataset kept changing while it was read (ingests running?); try again")


def to_frame(header: list[str], rows: list[list[str]], columns: list[str]):
    """Validated rows as a DataFrame with the contract's dtypes: strings ('' for empty), Int64 counts and
    years, float64 values, a boolean full_year; columns in the order given."""
    import pandas as pd
    df = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(columns=header, dtype=object)
    out = {}
    for c in columns:
        cells = df[c]
        if c in INT_COLUMNS:
            out[c] = pd.to_numeric(cells.replace("", None), errors="coerce").astype("Int64")
        elif c in FLOAT_COLUMNS:
            out[c] = pd.to_numeric(cells.replace("", None), errors="coerce").astype("float64")
        elif c in BOOL_COLUMNS:
            out[c] = cells.map(BOOLEANS).astype("boolean")
        else:
            out[c] = cells.astype("string").fillna("")
    return pd.DataFrame(out, columns=columns)


def read_table(path: Path, columns: list[str]):
    """One dataset CSV, validated (read_rows: DatasetError naming file, line and problem), as a typed DataFrame."""
    return to_frame(*read_rows(path, columns), columns)
