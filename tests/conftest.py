"""Shared test fixtures: where the real corpus and the browser are, how a missing one is handled, and the
markers that split the suite into fast and slow.

On a user's machine a test that needs the corpus (../shared/corpus, or $GONGKAI_CORPUS: a folder, relative
to the project root unless absolute) or Debian's chromium skips with a reason; when CI=true it fails
instead, so CI can never pass by skipping. The `require()` helper does that for the checks the tests make
themselves, and a report hook below turns any other skip (pytest.skip, importorskip, skipif) into a
failure under CI=true as well.

Markers (declared in pyproject.toml): `slow` for a test that starts a Jupyter kernel, papermill or
nbconvert, `browser` for one that drives Chromium, `corpus` for one that reads the corpus. A test that asks
for the corpus_dir or chromium_path fixture gets its marker here, so it cannot be forgotten. `make
test-fast` runs `-m "not slow and not browser"`; in such a run a test that starts a Jupyter kernel without
the `slow` marker fails, naming the marker it lacks, instead of quietly making the fast run slow.
"""
from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = PROJECT_ROOT / os.environ.get("GONGKAI_CORPUS", PROJECT_ROOT.parent / "shared" / "corpus")
FIXTURES = Path(__file__).resolve().parent / "fixtures"
IN_CI = os.environ.get("CI", "").lower() == "true"
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
MARKER_OF_FIXTURE = {"corpus_dir": "corpus", "chromium_path": "browser"}
CALL_FAILED = pytest.StashKey[bool]()


def require(condition: bool, reason: str) -> None:
    """Skip with reason when condition is false; fail when running in CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def require_module(name: str, install: str) -> ModuleType:
    """The imported module name, or a skip (a failure under CI=true) saying how to install it."""
    import importlib
    try:
        return importlib.import_module(name)
    except ImportError as error:
        require(False, f"{name} cannot be imported ({error}); {install}")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    require((CORPUS_DIR / "truth.csv").is_file(),
            f"the real corpus is not at {CORPUS_DIR} (set GONGKAI_CORPUS to its folder)")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def chromium_path() -> str:
    require(DEBIAN_CHROMIUM.is_file(), f"Debian's chromium is not at {DEBIAN_CHROMIUM} (apt-get install chromium)")
    return str(DEBIAN_CHROMIUM)


def pytest_collection_modifyitems(config, items) -> None:
    """Mark every test that uses the corpus or the browser fixture with its marker."""
    for item in items:
        for fixture, marker in MARKER_OF_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()) and not item.get_closest_marker(marker):
                item.add_marker(marker)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skip is a failure: CI must run every test, not pass by leaving some out."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"CI=true, so this test may not skip: {reason}"


def _fast_run(config) -> bool:
    """True when the run leaves out slow tests (-m "not slow ...")."""
    return "not slow" in (config.getoption("markexpr", "") or "")


@pytest.fixture(autouse=True)
def _kernels_only_in_slow_tests(request, monkeypatch):
    """In a fast run, starting a Jupyter kernel from a test not marked slow fails that test (at teardown
    when the code under test swallowed the error)."""
    if not _fast_run(request.config) or request.node.get_closest_marker("slow"):
        yield
        return
    from jupyter_client.provisioning import local_provisioner
    message = (f"{request.node.nodeid} starts a Jupyter kernel but is not marked @pytest.mark.slow "
               "(make test-fast leaves slow tests out)")
    started = []

    def refuse(*args, **kwargs):
        started.append(args)
        raise pytest.fail.Exception(message)

    monkeypatch.setattr(local_provisioner, "launch_kernel", refuse)
    yield
    if started and not request.node.stash.get(CALL_FAILED, False):  # the code under test swallowed the error
        pytest.fail(message)
