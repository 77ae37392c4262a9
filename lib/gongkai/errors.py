"""The exceptions gongkai raises. Each carries the structured fields a caller needs to report it, and its
message names the file (and line) it is about, so the command layer prints str(error) as it is. The
fields survive pickling, so an error raised in a process-pool or Dask worker arrives whole.

GongkaiError
├── ReadError(path, problem)          a report file cannot be read: "<path>: <problem>"
├── ParameterError(message)           a brief parameter is wrong; the message lists what exists
├── RegistryError(message)            an offices.csv line cannot be added: "line <n>: <problem>"
├── ConfigError(message, line, path)  briefs.yaml is invalid: "<path>:<line>: <message>"
└── BriefError(message, cell, error, notebook)  a brief's notebook failed in cell with error
"""
from __future__ import annotations


class GongkaiError(Exception):
    """Base class of every error gongkai raises on purpose."""


class ReadError(GongkaiError):
    """A report file could not be read: `path` names the file, `problem` says what is wrong with it."""

    def __init__(self, path, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

    def __reduce__(self):
        return type(self), (self.path, self.problem)


class ParameterError(GongkaiError):
    """A brief parameter is wrong (unknown district/office, empty year range...); the message lists what exists."""


class RegistryError(GongkaiError):
    """An office cannot be added to offices.csv (wrong number of fields, unknown kind, an id already taken)."""


class ConfigError(GongkaiError):
    """briefs.yaml is invalid; `line` is the 1-based line of the offending entry when known."""

    def __init__(self, message: str, line: int | None = None, path=None):
        self.message = message
        self.line = line
        self.path = str(path) if path else None
        if self.path:
            where = f"{self.path}:{line}: " if line else f"{self.path}: "
        else:
            where = f"line {line}: " if line else ""
        super().__init__(where + message)

    def __reduce__(self):
        return type(self), (self.message, self.line, self.path)


class BriefError(GongkaiError):
    """Executing or exporting a brief failed; `cell` and `error` describe the failing cell when known."""

    def __init__(self, message: str, cell: str | None = None, error: str | None = None, notebook=None):
        self.cell = cell
        self.error = error
        self.notebook = str(notebook) if notebook else None
        super().__init__(message)

    def __reduce__(self):
        return type(self), (str(self), self.cell, self.error, self.notebook)
