"""What a brief depends on, read cheaply: the dataset's CSV rows grouped by office and year, hashed.

`gongkai build` must decide in about a second whether anything changed, so this module reads
data/*.csv with the csv module (no pandas, no Jupyter imports) and keeps each row as its raw text fields.

A brief's input hash covers (see input_hash):
- gongkai.__version__, the brief's kind and validated parameters, and the notebook file's content hash;
- the registry rows (offices.csv) of the offices it shows;
- for each of those offices and each year it shows, plus the year before the first (year-on-year
  changes need it): the office's facts rows, its reports rows and the findings rows of those reports;
- for an office brief, also every office of its district over the same years, because the brief draws
  the district median: a corrected figure of any office in a district rebuilds the district brief and
  the office briefs of that district, and nothing else.
Row order inside a table does not matter (rows are sorted before hashing); any changed field does.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

Key = tuple[str, int | None]          # (office_id, year)


def _year(text: str) -> int | None:
    try:
        return int(float(text))
    except (TypeError, ValueError):
        return None


def file_sha256(path: Path) -> str:
    """Content hash of a file (hex)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class DataSnapshot:
    """The dataset's rows as text, grouped by (office_id, year), plus the office registry."""
    data_dir: Path
    offices: dict[str, dict[str, str]] = field(default_factory=dict)
    rows: dict[Key, list[str]] = field(default_factory=lambda: defaultdict(list))
    district_offices: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    district_years: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    report_years: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    _digests: dict[Key, str] = field(default_factory=dict)

    @classmethod
    def read(cls, data_dir: Path) -> "DataSnapshot":
        """Read offices.csv, facts.csv, reports.csv and findings.csv of data_dir, validated as gongkai.load does
        (gongkai.store.read_dataset_rows): GongkaiError/DatasetError for a missing, corrupt or cut table."""
        from gongkai.registry import read_office_rows
        from gongkai.store import read_dataset_rows

        snap = cls(Path(data_dir))
        tables = read_dataset_rows(snap.data_dir)
        offices = snap.data_dir / "offices.csv"
        header, rows = read_office_rows(offices) if offices.is_file() else ([], [])
        for row in rows:
            rec = dict(zip(header, row))
            if rec.get("office_id"):
                snap.offices[rec["office_id"]] = rec
                snap.district_offices[rec.get("district", "")].append(rec["office_id"])
        report_key: dict[str, Key] = {}
        header, rows = tables["reports.csv"]
        col = {name: i for i, name in enumerate(header)}
        for row in rows:
            key = (row[col["office_id"]], _year(row[col["year"]]))
            report_key[row[col["report"]]] = key
            snap._add(key, "R", row, row[col["district"]] if "district" in col else None)
            if key[1] is not None:
                snap.report_years[key[0]].add(key[1])
        header, rows = tables["facts.csv"]
        col = {name: i for i, name in enumerate(header)}
        for row in rows:
            key = (row[col["office_id"]], _year(row[col["year"]]))
            snap._add(key, "F", row, row[col["district"]] if "district" in col else None, years=False)
        header, rows = tables["findings.csv"]
        col = {name: i for i, name in enumerate(header)}
        for row in rows:
            key = report_key.get(row[col["report"]]) if "report" in col else None
            if key is not None:
                snap.rows[key].append("N\x1f" + "\x1f".join(row))
        return snap

    def _add(self, key: Key, table: str, row: list[str], district: str | None, years: bool = True) -> None:
        self.rows[key].append(table + "\x1f" + "\x1f".join(row))
        office_id, year = key
        district = (self.offices.get(office_id) or {}).get("district") or district
        if district:
            if year is not None and years:
                self.district_years[district].add(year)
            if office_id not in self.offices and office_id not in self.district_offices[district]:
                self.district_offices[district].append(office_id)

    @property
    def districts(self) -> set[str]:
        """Every district named in the registry or the data."""
        return {d for d, ids in self.district_offices.items() if d and ids}

    def offices_of(self, district: str | None) -> list[str]:
        """Office ids of a district, in registry order."""
        return list(self.district_offices.get(district or "", []))

    def years_of(self, district: str | None) -> list[int]:
        """Sorted years in which some office of the district has a report."""
        return sorted(self.district_years.get(district or "", ()))

    @property
    def known_years(self) -> set[int]:
        """Every year in which some office of the dataset has a report."""
        return set().union(*self.report_years.values())

    def years_with_reports(self, office_ids: list[str] | tuple[str, ...]) -> list[int]:
        """Sorted years in which at least one of the offices has a report (what a brief can show)."""
        return sorted(set().union(*(self.report_years.get(o, set()) for o in office_ids)))

    def digest(self, office_id: str, year: int | None) -> str:
        """Hash of every facts/reports/findings row of one office-year (order-independent)."""
        key = (office_id, year)
        if key not in self._digests:
            h = hashlib.sha256()
            for row in sorted(self.rows.get(key, ())):
                h.update(row.encode("utf-8"))
                h.update(b"\x1e")
            self._digests[key] = h.hexdigest()
        return self._digests[key]

    def office_digest(self, office_ids: list[str] | tuple[str, ...], years: list[int]) -> str:
        """Hash of the registry rows and the rows of the given offices over years (+ the year before)."""
        span = [years[0] - 1, *years, None] if years else [None]
        h = hashlib.sha256()
        for office_id in sorted(set(office_ids)):
            reg = self.offices.get(office_id, {})
            h.update(("\x1f".join(f"{k}={reg[k]}" for k in sorted(reg)) + "\x1e").encode("utf-8"))
            for year in span:
                h.update(f"{office_id}|{year}|{self.digest(office_id, year)}\x1e".encode("utf-8"))
        return h.hexdigest()


def input_hash(kind: str, params: dict, notebook_sha: str, shown_offices: tuple[str, ...],
               district: str, data: DataSnapshot, version: str) -> str:
    """The hash that decides whether a brief must be rebuilt (see the module docstring)."""
    years = list(params.get("years") or [])
    h = hashlib.sha256()
    h.update(json.dumps({"version": version, "kind": kind, "params": params, "notebook": notebook_sha},
                        sort_keys=True, ensure_ascii=False).encode("utf-8"))
    h.update(data.office_digest(shown_offices, years).encode("ascii"))
    if kind == "office":
        h.update(data.office_digest(tuple(data.offices_of(district)), years).encode("ascii"))
    return h.hexdigest()
