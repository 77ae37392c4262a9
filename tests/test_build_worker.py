"""gongkai.build.worker: one brief per task; a kernel that fails to start is retried once, nothing else is."""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import gongkai.briefs
from buildspace import DATASET, FIXTURE_NOTEBOOKS
from gongkai.briefs import BriefResult
from gongkai.build import RenderTask, render_task
from gongkai.build.worker import ERROR_WIDTH, is_kernel_start_failure
from gongkai.errors import BriefError

KERNEL_DIED = "office brief x: RuntimeError: Kernel died before replying to kernel_info"


def task(tmp_path: Path) -> RenderTask:
    return RenderTask("office/x", "office", {"office_id": "miyun.guoyuan", "years": [2017]}, str(tmp_path),
                      str(DATASET), str(FIXTURE_NOTEBOOKS / "brief_small.ipynb"), str(tmp_path / "_failed"))


class ScriptedRenders:
    """Stands in for render_brief: returns (or raises) the next of `script`, and keeps every call's arguments."""

    def __init__(self):
        self.script: list = []
        self.calls: list[dict] = []

    def __call__(self, kind, params, out_dir, **kw):
        self.calls.append(dict(kind=kind, params=params, out_dir=out_dir, **kw))
        result = self.script.pop(0)
        if isinstance(result, BaseException):
            raise result
        return result


@pytest.fixture
def renders(monkeypatch) -> ScriptedRenders:
    fake = ScriptedRenders()
    monkeypatch.setattr(gongkai.briefs, "render_brief", fake)
    return fake


def test_tasks_and_outcomes_cross_process_boundaries(tmp_path):
    t = task(tmp_path)
    assert pickle.loads(pickle.dumps(t)) == t
    assert pickle.loads(pickle.dumps(render_task)) is render_task        # shipped by reference


def test_a_kernel_that_fails_to_start_is_retried_once(renders, tmp_path):
    html = tmp_path / "office" / "x.html"
    renders.script = [BriefError(KERNEL_DIED), BriefResult(html, "x", 1.0, 1234)]
    outcome = render_task(task(tmp_path))
    assert outcome.ok and outcome.attempts == 2 and len(renders.calls) == 2
    assert outcome.html == str(html) and outcome.size == 1234 and outcome.host
    call = renders.calls[0]
    assert call["kind"] == "office" and call["params"] == {"office_id": "miyun.guoyuan", "years": [2017]}
    assert call["notebook"] == FIXTURE_NOTEBOOKS / "brief_small.ipynb" and call["data_dir"] == DATASET
    assert call["keep_failed"] == tmp_path / "_failed"


def test_twice_is_a_failure(renders, tmp_path):
    renders.script = [BriefError(KERNEL_DIED), BriefError(KERNEL_DIED)]
    outcome = render_task(task(tmp_path))
    assert not outcome.ok and outcome.attempts == 2 and outcome.error == KERNEL_DIED


def test_a_notebook_error_is_an_outcome_with_its_cell(renders, tmp_path):
    renders.script = [BriefError("cell 3 failed", cell="1 / 0", error="ZeroDivisionError: division by zero",
                                    notebook=tmp_path / "_failed" / "x.ipynb")]
    outcome = render_task(task(tmp_path))
    assert (outcome.ok, outcome.attempts, len(renders.calls)) == (False, 1, 1)
    assert outcome.cell == "1 / 0" and outcome.error == "ZeroDivisionError: division by zero"
    assert outcome.failed_notebook == str(tmp_path / "_failed" / "x.ipynb")


def test_any_other_exception_is_an_outcome_cut_short(renders, tmp_path):
    renders.script = [ValueError("x" * 5000)]
    outcome = render_task(task(tmp_path))
    assert not outcome.ok and outcome.error.startswith("ValueError: xxx") and outcome.error.endswith("…")
    assert len(outcome.error) == len("ValueError: ") + ERROR_WIDTH


def test_notebook_errors_and_missing_kernels_are_not_retried():
    assert not is_kernel_start_failure(BriefError("cell 3 failed", cell="1/0", error="ZeroDivisionError"))
    assert not is_kernel_start_failure(BriefError("x: NoSuchKernel: No such kernel named gongkai"))
    assert is_kernel_start_failure(BriefError("x: DeadKernelError: Kernel died"))
    assert is_kernel_start_failure(BriefError(KERNEL_DIED))
    assert not is_kernel_start_failure(ValueError("a notebook bug"))
    try:                                                      # the cause counts, too
        try:
            raise TimeoutError("Kernel didn't respond in 120 seconds")
        except TimeoutError as cause:
            raise BriefError("office brief x: failed") from cause
    except BriefError as error:
        assert is_kernel_start_failure(error)
