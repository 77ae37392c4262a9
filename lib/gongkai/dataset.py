"""The dataset as notebooks see it: load() reads facts, reports, findings and the office registry.

load(data_dir) returns a Dataset of pandas DataFrames with the contract's columns and dtypes (DESIGN.md
§3): strings ('' for empty), Int64 years and counts, float64 values, a boolean full_year. It reads through
gongkai.store.read_dataset_rows: an ingest commit that was interrupted is completed first, a reader never
sees a mix of old and new tables, and a corrupt or cut-short table is refused with a DatasetError naming
the file, the line and the problem (never a brief from half the data). offices.csv is validated by the
registry (gongkai.registry.read_office_rows). Writing the dataset is gongkai.ingest's job; comparing
offices is gongkai.views' (every view takes a Dataset).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai import columnar, config
from gongkai.errors import GongkaiError
from gongkai.registry import OFFICE_COLUMNS, read_office_rows
from gongkai.store import TABLES, read_dataset_rows, to_frame

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Dataset:
    """The dataset as typed DataFrames: facts, reports, findings (the data contract) and offices (registry)."""
    facts: "pd.DataFrame"
    reports: "pd.DataFrame"
    findings: "pd.DataFrame"
    offices: "pd.DataFrame"
    data_dir: Path | None = None


def load(data_dir=None, form: str | None = None) -> Dataset:
    """The dataset in data_dir (default: the project's data/, or $GONGKAI_DATA) as typed DataFrames.

    form: 'csv', 'parquet' (the big form, gongkai.columnar) or None: the Parquet form when the folder has
    one that is not older than its facts.csv, else the CSV form. Both give the same frames. Raises
    GongkaiError naming the folder when any of the three tables is missing, DatasetError naming the file,
    line and problem when one is corrupt or cut short. A missing offices.csv gives an empty offices frame
    with the registry's columns.
    """
    data_dir = Path(data_dir or config.DATA_DIR)
    if form == "parquet" or (form is None and columnar.prefer_columnar(data_dir)):
        if not columnar.is_columnar(data_dir):
            raise GongkaiError(f"no Parquet dataset in {data_dir} (run `gongkai synth` or `gongkai ingest --workers N`)")
        return Dataset(**{t: columnar.read_table(data_dir, t) for t in ("facts", "reports", "findings", "offices")},
                       data_dir=data_dir)
    rows = read_dataset_rows(data_dir)
    tables = {name[:-4]: to_frame(*rows[name], columns) for name, columns in TABLES.items()}
    offices_path = data_dir / "offices.csv"
    if offices_path.is_file():
        offices = to_frame(*read_office_rows(offices_path), OFFICE_COLUMNS)
    else:
        import pandas as pd
        offices = pd.DataFrame({c: pd.Series(dtype="string") for c in OFFICE_COLUMNS})
    return Dataset(facts=tables["facts"], reports=tables["reports"], findings=tables["findings"],
                   offices=offices, data_dir=data_dir)
