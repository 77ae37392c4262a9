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
the `slow` marker fails, naming the marker it lacks, instead of quietly making the fast run slow. (Only
kernels started in the pytest process are seen; one started by a child process, such as the build's process
pool or `gongkai` run as a subprocess, shows up in `pytest --durations` instead.)
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
FAILED = pytest.StashKey[bool]()            # the test's setup or call has failed
KERNEL_REFUSED = pytest.StashKey[bool]()    # a fast run refused to start a kernel for this test
RUNNING = pytest.StashKey[object]()         # the test being run (set around its setup, call and teardown)


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
    if report.failed:
        item.stash[FAILED] = True
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"CI=true, so this test may not skip: {reason}"


def _fast_run(config) -> bool:
    """True when the run leaves out slow tests (-m "not slow ...")."""
    return "not slow" in (config.getoption("markexpr", "") or "")


def pytest_configure(config) -> None:
    """In a fast run, refuse to start a Jupyter kernel for a test that is not marked slow."""
    if not _fast_run(config):
        return
    from jupyter_client.provisioning import local_provisioner
    launch_kernel = local_provisioner.launch_kernel

    def launch_for_slow_tests_only(*args, **kwargs):
        item = config.stash.get(RUNNING, None)
        if item is None or item.get_closest_marker("slow"):
            return launch_kernel(*args, **kwargs)
        item.stash[KERNEL_REFUSED] = True
        raise pytest.fail.Exception(_refusal(item))

    local_provisioner.launch_kernel = launch_for_slow_tests_only
    config.add_cleanup(lambda: setattr(local_provisioner, "launch_kernel", launch_kernel))


def _refusal(item) -> str:
    return (f"{item.nodeid} starts a Jupyter kernel (in the test or in a fixture it uses) but is not marked "
            "@pytest.mark.slow, and make test-fast leaves slow tests out")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Remember which test runs: its setup also builds the module/session fixtures it is first to use."""
    item.config.stash[RUNNING] = item
    yield
    item.config.stash[RUNNING] = None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item):
    """A refused kernel start fails the test even when the code under test swallowed the error."""
    result = yield
    if item.stash.get(KERNEL_REFUSED, False) and not item.stash.get(FAILED, False):
        pytest.fail(_refusal(item))
    return result
