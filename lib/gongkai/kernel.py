"""The project's Jupyter kernel: registered under the name `gongkai` in the virtualenv, started lean.

`python -m gongkai.kernel install` writes the kernelspec into <venv>/share/jupyter/kernels/gongkai, so
papermill runs the notebooks with this interpreter and no other. Started by Jupyter as
`python -m gongkai.kernel -f CONNECTION_FILE`, it blocks the optional rfc3987_syntax import before
ipykernel starts: jsonschema (pulled in by nbformat, which plotly imports) builds a grammar at import
time when that package is installed (JupyterLab installs it), which costs about a second per kernel
and is only used for `iri` format checks that notebooks never need.
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from gongkai.config import KERNEL_NAME

SLOW_OPTIONAL_IMPORTS = ("rfc3987_syntax",)


def block_slow_imports() -> None:
    """Make optional slow imports fail fast (their importers treat ImportError as 'not installed')."""
    for name in SLOW_OPTIONAL_IMPORTS:
        sys.modules.setdefault(name, None)


def kernel_spec() -> dict:
    return {"argv": [sys.executable, "-m", "gongkai.kernel", "-f", "{connection_file}"],
            "display_name": "gongkai (Python 3.11)", "language": "python",
            "metadata": {"debugger": False}}


def install(prefix: str | None = None) -> Path:
    """Register the kernel under KERNEL_NAME in prefix (default: this interpreter's sys.prefix)."""
    from jupyter_client.kernelspec import KernelSpecManager

    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "kernel.json").write_text(json.dumps(kernel_spec(), indent=1), encoding="utf-8")
        dest = KernelSpecManager().install_kernel_spec(tmp, KERNEL_NAME, prefix=prefix or sys.prefix)
    return Path(dest)


def main() -> None:
    if sys.argv[1:2] == ["install"]:
        print(f"registered kernel {KERNEL_NAME!r} in {install()}")
        return
    block_slow_imports()
    from ipykernel import kernelapp
    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
