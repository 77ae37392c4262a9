"""Commands on the dataset: `gongkai ingest`, `gongkai extract`, `gongkai check` (printing, exit codes)."""
from __future__ import annotations

from gongkai.dataset import check_command, extract_command, ingest_command  # moved here in the refactor

__all__ = ["ingest_command", "extract_command", "check_command"]
