"""Commands on briefs: `gongkai brief` (one) and `gongkai build` (many) (printing, exit codes)."""
from __future__ import annotations

from gongkai.briefs import brief_command   # moved here in the refactor
from gongkai.build import build_command

__all__ = ["brief_command", "build_command"]
