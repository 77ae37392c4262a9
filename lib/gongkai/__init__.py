"""gongkai: read 政府信息公开工作年度报告 files, extract their figures, compare offices across years."""
from __future__ import annotations

__version__ = "0.1.0"


def load(data_dir=None):
    """Load the dataset (facts, reports, findings, office registry) from data_dir (default: the project's data/).

    Returns a gongkai.dataset.Dataset; imported lazily so `import gongkai` stays cheap.
    """
    from gongkai.dataset import load as _load
    return _load(data_dir)
