"""What reading one report file may cost: every cap, and the guard that holds a file to them.

A report is a few pages of prose and tables: the largest file of the corpus has 300 KB and 20,000
characters. The caps below sit far above any real report and far below what hurts the machine, so a
hostile or broken file (a ZIP or PDF stream that inflates to gigabytes, a table whose spans multiply into
millions of cells, a document of a million tags) is refused with a LimitError that names the file and the
cap, instead of costing gigabytes or minutes. One file stays within about 1 GB and READ_SECONDS.
Every size limit of the readers is a named constant here; no reader keeps one of its own.

reading.read_document reads each file inside `guard(path)`: readers take the file's ReadGuard from
current() to check the clock in their loops and to count what they inflate or lay out (spend). In the
main thread the guard also arms SIGALRM, so that time spent inside a library that never comes back to
our loops (pdfminer interpreting a page, lxml parsing) is bounded as well; in other threads the clock is
checked where the readers loop.
"""
from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from gongkai.errors import LimitError

MiB = 2**20

# Files on disk, before anything is read.
MAX_TEXT_BYTES = 16 * MiB           # a .txt, .md or .html file
MAX_BINARY_BYTES = 200 * MiB        # a .docx or .pdf (embedded images make these large)
# What a file becomes.
MAX_TEXT_CHARS = 2_000_000          # characters of normalized report text
MAX_MARKUP_TAGS = 1_000_000         # '<' in an HTML page or in one XML part of a .docx: bounds the parsed tree
MAX_SPAN = 200                      # rowspan/colspan of an HTML cell (larger is clamped, as browsers do);
                                    # gridSpan of a .docx cell (larger is refused)
MAX_TABLE_CELLS = 50_000            # grid positions of one table once merged cells are expanded
MAX_DOCUMENT_CELLS = 500_000        # grid positions of all tables of one report
# .docx archives: sizes come from the ZIP directory and are checked before anything is inflated.
MAX_ARCHIVE_MEMBERS = 5_000         # entries of the archive
MAX_ARCHIVE_BYTES = 256 * MiB       # all entries, inflated
MAX_XML_BYTES = 64 * MiB            # one XML part (word/document.xml...), inflated
# .pdf files.
MAX_PDF_PAGES = 400
MAX_PDF_STREAM_BYTES = 64 * MiB     # one stream (page content, font, image), inflated
MAX_PDF_INFLATED_BYTES = 256 * MiB  # all streams of the file, inflated
MAX_PDF_PAGE_OBJECTS = 200_000      # glyphs, paths and images laid out on one page
# Time.
READ_SECONDS = 30.0                 # wall time to read one file


def _amount(value: int | float, limit: str) -> str:
    if limit.endswith("_BYTES"):
        mb = value / MiB
        return f"{mb:.0f} MB" if mb >= 10 or mb == int(mb) else f"{mb:.1f} MB"
    return f"{value:,}"


def refusal(path, subject: str, limit: str, amount: int | None = None, unit: str = "") -> LimitError:
    """The LimitError for a file past the cap named `limit`.

    refusal(p, "word/document.xml inflates to", "MAX_XML_BYTES", 315 * MiB) reads
    "p: word/document.xml inflates to 315 MB, over the 64 MB limit (MAX_XML_BYTES)"; without an amount
    (when reading stopped at the cap), "p: word/document.xml inflates to more than 64 MB, the MAX_XML_BYTES limit".
    """
    cap = globals()[limit]
    unit = f" {unit}" if unit else ""
    if amount is None:
        problem = f"{subject} more than {_amount(cap, limit)}{unit}, the {limit} limit"
    else:
        problem = f"{subject} {_amount(amount, limit)}{unit}, over the {_amount(cap, limit)} limit ({limit})"
    return LimitError(path, problem, limit)


class _OutOfTime(BaseException):
    """Raised by the SIGALRM handler. A BaseException, so that a library's `except Exception` cannot swallow it."""


@dataclass
class ReadGuard:
    """The budget of the file being read: its deadline and what it has spent so far, per cap.

    refused keeps the first LimitError the guard raised, for readers whose libraries wrap exceptions.
    """
    path: str
    deadline: float
    spent: dict[str, int] = field(default_factory=dict)
    active: bool = True
    refused: LimitError | None = None

    def refuse(self, subject: str, limit: str, amount: int | None = None, unit: str = "") -> LimitError:
        """The LimitError of refusal() for this file, remembered in `refused`."""
        return self._remember(refusal(self.path, subject, limit, amount, unit))

    def _remember(self, error: LimitError) -> LimitError:
        if self.refused is None:
            self.refused = error
        return error

    def check_time(self) -> None:
        """Refuse the file once its READ_SECONDS are used up."""
        if time.monotonic() > self.deadline:
            raise self.out_of_time()

    def out_of_time(self) -> LimitError:
        return self._remember(LimitError(
            self.path, f"reading took longer than {READ_SECONDS:g} s, the READ_SECONDS limit "
            "(a report this slow to read is broken or hostile)", "READ_SECONDS"))

    def spend(self, limit: str, amount: int, subject: str, unit: str = "") -> int:
        """Add amount to what the file has spent against the cap `limit`; refuse it once past the cap."""
        total = self.spent.get(limit, 0) + amount
        self.spent[limit] = total
        if total > globals()[limit]:
            raise self.refuse(subject, limit, total, unit)
        return total

    def reset(self, limit: str) -> None:
        """Start counting `limit` afresh (a per-page cap at the start of a page)."""
        self.spent.pop(limit, None)


_CURRENT: ContextVar[ReadGuard | None] = ContextVar("gongkai_read_guard", default=None)
_armed: ReadGuard | None = None


def active() -> ReadGuard | None:
    """The guard of the file being read in this context, None outside a read."""
    guard = _CURRENT.get()
    return guard if guard is not None and guard.active else None


def current(path) -> ReadGuard:
    """The guard of the file being read, or a fresh one for path when a reader is called on its own."""
    return active() or ReadGuard(str(path), time.monotonic() + READ_SECONDS)


def _on_alarm(signum, frame) -> None:
    if _armed is not None and _armed.active:
        raise _OutOfTime()


def _arm(guard: ReadGuard):
    """SIGALRM at the guard's deadline when this is the main thread and nobody else uses the alarm; returns
    the previous handler to restore, or None when the alarm was left alone."""
    global _armed
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return None
    previous = signal.getsignal(signal.SIGALRM)
    if previous not in (signal.SIG_DFL, signal.SIG_IGN) or signal.getitimer(signal.ITIMER_REAL) != (0.0, 0.0):
        return None
    _armed = guard
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, max(0.001, guard.deadline - time.monotonic()))
    return previous


def _disarm(previous) -> None:
    global _armed
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)
    _armed = None


@contextmanager
def guard(path) -> Iterator[ReadGuard]:
    """Read one file within the caps: yields its ReadGuard; time running out becomes a LimitError."""
    read_guard = ReadGuard(str(path), time.monotonic() + READ_SECONDS)
    token = _CURRENT.set(read_guard)
    previous = _arm(read_guard)
    try:
        yield read_guard
    except _OutOfTime:
        raise read_guard.out_of_time() from None
    finally:
        read_guard.active = False      # an alarm arriving from here on finds nothing to interrupt
        if previous is not None:
            _disarm(previous)
        _CURRENT.reset(token)


__all__ = [name for name in globals() if name.startswith("MAX_")] + [
    "MiB", "READ_SECONDS", "ReadGuard", "refusal", "active", "current", "guard"]
