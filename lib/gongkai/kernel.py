"""The project's Jupyter kernel: registered under the name `gongkai` in the virtualenv, started lean.

`python -m gongkai.kernel install` writes the kernelspec into <venv>/share/jupyter/kernels/gongkai, so
papermill runs the notebooks with this interpreter and no other: kernel_manager_class() looks the spec
up only there (project_kernel_dir), so a stale user-level `gongkai` kernelspec (~/.local/share/jupyter,
JUPYTER_PATH) cannot take over. Started by Jupyter as `python -m gongkai.kernel -f CONNECTION_FILE`, it
blocks the optional rfc3987_syntax import before ipykernel starts: jsonschema (pulled in by nbformat,
which plotly imports) builds a grammar at import time when that package is installed (JupyterLab
installs it), which costs about a second per kernel and is only used for `iri` format checks that
notebooks never need.

Kernels die with their process: jupyter_client hands the kernel its parent's pid (JPY_PARENT_PID) and
ipykernel exits within a second when that parent is gone, so a build worker that dies takes its kernels
with it. A kernel that dies in the middle of a cell (SIGKILL, the OOM killer, a crash) is told apart from one
that never started: briefs run on ENGINE_NAME, papermill's nbclient engine that also hands the caller the
notebook being executed, and died_in_cell() finds the cell that was running in it.
"""
from __future__ import annotations

import json
import logging
import sys
import tempfile
from pathlib import Path

from gongkai.config import KERNEL_NAME

log = logging.getLogger(__name__)

SLOW_OPTIONAL_IMPORTS = ("rfc3987_syntax",)
DISPLAY_NAME = "gongkai (Python 3.11)"
START_TIMEOUT = 120  # seconds for the kernel to come up (a busy 2-core machine needs more than 60)
ENGINE_NAME = "gongkai"  # the papermill engine briefs run on (papermill_engine())


def block_slow_imports() -> None:
    """Make optional slow imports fail fast (their importers treat ImportError as 'not installed')."""
    for name in SLOW_OPTIONAL_IMPORTS:
        sys.modules.setdefault(name, None)


def kernel_spec() -> dict:
    """The kernel.json of the `gongkai` kernel: this interpreter running this module."""
    return {"argv": [sys.executable, "-m", "gongkai.kernel", "-f", "{connection_file}"],
            "display_name": DISPLAY_NAME, "language": "python", "metadata": {"debugger": False}}


def project_kernel_dir() -> str:
    """The only place briefs look for the `gongkai` kernelspec: this interpreter's share/jupyter/kernels."""
    return str(Path(sys.prefix) / "share" / "jupyter" / "kernels")


def kernel_manager_class() -> type:
    """An AsyncKernelManager class that finds kernels only in project_kernel_dir() (for papermill)."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class ProjectKernelManager(AsyncKernelManager):
        @default("kernel_spec_manager")
        def _kernel_spec_manager_default(self):
            return KernelSpecManager(kernel_dirs=[project_kernel_dir()], ensure_native_kernel=False)

    return ProjectKernelManager


def papermill_engine() -> str:
    """Register the papermill engine briefs run on and return its name (ENGINE_NAME).

    It is papermill's nbclient engine, plus one keyword: execute_notebook(..., engine_name=ENGINE_NAME,
    keep_notebook=a_list) appends the notebook being executed to a_list, so the cells run so far (and which
    one was running) are still at hand when the kernel dies mid-cell and papermill raises without saving.
    """
    from papermill.engines import NBClientEngine, papermill_engines

    class KeepingEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, keep_notebook=None, **kwargs):
            if keep_notebook is not None:
                keep_notebook.append(nb_man.nb)
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    papermill_engines.register(ENGINE_NAME, KeepingEngine)
    return ENGINE_NAME


def died_in_cell(error: BaseException, nb) -> tuple[int, object] | None:
    """(N, cell) when error says the kernel died while nb's code cell N (1-based, the number an error in it
    would carry) ran; None when the kernel never ran a cell (a start failure) or error is something else."""
    from nbclient.exceptions import DeadKernelError

    chain, seen = [], set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        chain.append(error)
        error = error.__cause__ or error.__context__
    if nb is None or not any(isinstance(e, DeadKernelError) for e in chain):
        return None
    code = [cell for cell in nb.cells if cell.get("cell_type") == "code"]
    started = [n for n, cell in enumerate(code, 1) if cell.get("metadata", {}).get("papermill", {}).get("start_time")]
    return (started[-1], code[started[-1] - 1]) if started else None


def install(prefix: str | None = None) -> Path:
    """Register the kernel under KERNEL_NAME in prefix (default: this interpreter's sys.prefix)."""
    from jupyter_client.kernelspec import KernelSpecManager

    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "kernel.json").write_text(json.dumps(kernel_spec(), indent=1), encoding="utf-8")
        dest = KernelSpecManager().install_kernel_spec(tmp, KERNEL_NAME, prefix=prefix or sys.prefix)
    return Path(dest)


def main() -> None:
    """`python -m gongkai.kernel install` registers the kernel; any other arguments start it (Jupyter does)."""
    if sys.argv[1:2] == ["install"]:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
        log.info("registered kernel %r in %s", KERNEL_NAME, install())
        return
    block_slow_imports()
    from ipykernel import kernelapp
    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
