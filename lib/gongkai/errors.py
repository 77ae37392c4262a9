"""The exceptions gongkai raises. Each carries the structured fields a caller needs to report it."""
from __future__ import annotations


class GongkaiError(Exception):
    """Base class of every error gongkai raises on purpose."""


class ReadError(GongkaiError):
    """A report file could not be read: `path` names the file, `problem` says what is wrong with it."""

    def __init__(self, path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class LimitError(ReadError):
    """A report file was refused because reading it would pass a cap of gongkai.formats.limits: `limit` is the
    cap's name (e.g. MAX_XML_BYTES), so a hostile or broken file costs bounded memory and time."""

    def __init__(self, path, problem: str, limit: str):
        self.limit = limit
        super().__init__(path, problem)


class ParameterError(GongkaiError):
    """A brief parameter is wrong (unknown district/office, empty year range...); the message lists what exists."""


class ConfigError(GongkaiError):
    """briefs.yaml is invalid; `line` is the 1-based line of the offending entry when known."""

    def __init__(self, message: str, line: int | None = None, path=None):
        self.line = line
        self.path = str(path) if path else None
        where = f"{self.path}:{line}: " if path and line else (f"{self.path}: " if path else "")
        super().__init__(where + message)


class BriefError(GongkaiError):
    """Executing or exporting a brief failed; `cell` and `error` describe the failing cell when known."""

    def __init__(self, message: str, cell: str | None = None, error: str | None = None, notebook=None):
        self.cell = cell
        self.error = error
        self.notebook = str(notebook) if notebook else None
        super().__init__(message)
