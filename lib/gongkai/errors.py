"""The exceptions gongkai raises. Each carries the structured fields a caller needs to report it, and its
message names the file (and line) it is about, so the command layer prints str(error) as it is. The
fields survive pickling, so an error raised in a process-pool or Dask worker arrives whole.

GongkaiError
├── ReadError(path, problem)          a report file cannot be read: "<path>: <problem>"
├── DatasetError(path, problem, line) a dataset table is missing, corrupt or cut short: "<path>:<line>: <problem>"
├── ParameterError(message)           a brief parameter is wrong; the message lists what exists
├── RegistryError(message)            an offices.csv line cannot be added: "line <n>: <problem>"
├── ConfigError(message, line, path)  briefs.yaml is invalid: "<path>:<line>: <message>"
├── BriefError(message, cell, error, notebook)  a brief's notebook failed in cell with error
└── LockedError(path, what, owner)    another build/ingest holds the folder's lock (gongkai.locks)
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


class LimitError(ReadError):
    """A report file was refused because reading it would pass a cap of gongkai.formats.limits: `limit` is the
    cap's name (e.g. MAX_XML_BYTES), so a hostile or broken file costs bounded memory and time."""

    def __init__(self, path, problem: str, limit: str):
        self.limit = limit
        super().__init__(path, problem)

    def __reduce__(self):
        return type(self), (self.path, self.problem, self.limit)


class DatasetError(GongkaiError):
    """A dataset file (facts/reports/findings.csv, offices.csv) is missing, corrupt or cut short: `path` names
    the file, `line` the 1-based line when known, `problem` says what is wrong."""

    def __init__(self, path, problem: str, line: int | None = None):
        self.path = str(path)
        self.problem = problem
        self.line = line
        super().__init__(f"{self.path}:{line}: {problem}" if line else f"{self.path}: {problem}")

    def __reduce__(self):
        return type(self), (self.path, self.problem, self.line)


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


class LockedError(GongkaiError):
    """Another live gongkai process holds a folder's lock; `owner` is its lock record (pid, host, started)."""

    def __init__(self, path, what: str, owner: dict | None = None):
        self.path = str(path)
        self.what = what
        self.owner = dict(owner or {})
        who = (f"pid {self.owner.get('pid')} on {self.owner.get('host')}, started {self.owner.get('started')}"
               if self.owner.get("pid") else "owner unknown")
        super().__init__(f"another gongkai {what} is running on {self.path} ({who})")

    def __reduce__(self):
        return type(self), (self.path, self.what, self.owner)
