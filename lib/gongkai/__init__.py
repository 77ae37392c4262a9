"""gongkai: read 政府信息公开工作年度报告 files, extract their figures, compare offices across years."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gongkai.dataset import Dataset

__version__ = "0.1.0"


def load(data_dir: str | Path | None = None) -> Dataset:
    """Load the dataset (facts, reports, findings, office registry) from data_dir (default: the project's data/).

    Returns a gongkai.dataset.Dataset; gongkai.dataset is imported on first call so `import gongkai`
    stays cheap.
    """
    from gongkai.dataset import load as load_dataset
    return load_dataset(data_dir)
