"""formats.limits: refusals name the file and the cap; the guard counts, keeps time, and leaves SIGALRM as it was."""
from __future__ import annotations

import signal
import threading

import pytest

from gongkai.errors import LimitError, ReadError
from gongkai.formats import limits


def test_a_refusal_names_the_file_the_amount_and_the_cap():
    error = limits.refusal("a/report.docx", "word/document.xml inflates to", "MAX_XML_BYTES", 315 * 2**20)
    assert isinstance(error, LimitError) and isinstance(error, ReadError) and error.limit == "MAX_XML_BYTES"
    assert str(error) == "a/report.docx: word/document.xml inflates to 315 MB, over the 64 MB limit (MAX_XML_BYTES)"
    assert limits.refusal("r.html", "table 2 spans", "MAX_TABLE_CELLS", 840_000, "cells").problem == (
        "table 2 spans 840,000 cells, over the 50,000 limit (MAX_TABLE_CELLS)")
    assert limits.refusal("r.pdf", "a PDF stream inflates to", "MAX_PDF_STREAM_BYTES").problem == (
        "a PDF stream inflates to more than 64 MB, the MAX_PDF_STREAM_BYTES limit")


def test_every_cap_is_a_positive_named_constant():
    caps = {name: getattr(limits, name) for name in limits.__all__ if name.startswith("MAX_")}
    assert set(caps) == {"MAX_TEXT_BYTES", "MAX_BINARY_BYTES", "MAX_TEXT_CHARS", "MAX_MARKUP_TAGS", "MAX_SPAN",
                         "MAX_TABLE_CELLS", "MAX_DOCUMENT_CELLS", "MAX_ARCHIVE_MEMBERS", "MAX_ARCHIVE_BYTES",
                         "MAX_XML_BYTES", "MAX_PDF_PAGES", "MAX_PDF_STREAM_BYTES", "MAX_PDF_INFLATED_BYTES",
                         "MAX_PDF_PAGE_OBJECTS"}
    assert all(isinstance(v, int) and v > 0 for v in caps.values())
    assert limits.READ_SECONDS == 30.0


def test_the_guard_counts_spending_against_a_cap_and_remembers_the_refusal(monkeypatch):
    monkeypatch.setattr(limits, "MAX_PDF_PAGE_OBJECTS", 3)
    guard = limits.ReadGuard("r.pdf", deadline=float("inf"))
    assert [guard.spend("MAX_PDF_PAGE_OBJECTS", 1, "a page lays out", "objects") for _ in range(3)] == [1, 2, 3]
    with pytest.raises(LimitError, match="^r.pdf: a page lays out 4 objects, over the 3 limit") as err:
        guard.spend("MAX_PDF_PAGE_OBJECTS", 1, "a page lays out", "objects")
    assert guard.refused is err.value
    guard.reset("MAX_PDF_PAGE_OBJECTS")
    assert guard.spend("MAX_PDF_PAGE_OBJECTS", 1, "a page lays out") == 1


def test_the_guard_is_current_only_during_its_read():
    assert limits.active() is None
    assert limits.current("x.txt").path == "x.txt"                     # a reader called on its own gets one
    with limits.guard("r.txt") as guard:
        assert limits.active() is guard and limits.current("other") is guard
    assert limits.active() is None and not guard.active


def test_time_running_out_is_a_limit_error_and_sigalrm_is_restored(monkeypatch):
    monkeypatch.setattr(limits, "READ_SECONDS", 0.02)
    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(LimitError) as err:
        with limits.guard("slow.html"):
            while True:
                pass
    assert err.value.limit == "READ_SECONDS"
    assert signal.getsignal(signal.SIGALRM) == before and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_alarm_someone_else_owns_is_left_alone(monkeypatch):
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(1))
    try:
        monkeypatch.setattr(limits, "READ_SECONDS", 0.01)
        with limits.guard("r.txt") as guard:
            assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # not armed: the clock is checked in loops
            with pytest.raises(LimitError):
                while True:
                    guard.check_time()
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert not fired


def test_outside_the_main_thread_the_clock_is_checked_in_loops(monkeypatch):
    monkeypatch.setattr(limits, "READ_SECONDS", 0.01)
    outcome: list[object] = []

    def read() -> None:
        with limits.guard("r.txt") as guard:
            outcome.append(signal.getitimer(signal.ITIMER_REAL))
            try:
                while True:
                    guard.check_time()
            except LimitError as exc:
                outcome.append(exc.limit)
    worker = threading.Thread(target=read)
    worker.start()
    worker.join(5)
    assert outcome == [(0.0, 0.0), "READ_SECONDS"]
