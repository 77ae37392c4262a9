"""gongkai.kernel: the `gongkai` kernelspec runs this virtualenv's python, and only that spec is used."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gongkai import config, kernel


def test_the_registered_kernel_runs_this_interpreter():
    spec_file = Path(kernel.project_kernel_dir()) / config.KERNEL_NAME / "kernel.json"
    assert spec_file.is_file(), f"{spec_file} missing: run `make venv` (python -m gongkai.kernel install)"
    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    assert Path(spec["argv"][0]).resolve() == Path(sys.executable).resolve()
    assert spec["argv"][1:] == ["-m", "gongkai.kernel", "-f", "{connection_file}"]
    assert spec["display_name"] == kernel.DISPLAY_NAME and spec["language"] == "python"
    assert Path(kernel.project_kernel_dir()).is_relative_to(sys.prefix)


def test_install_writes_the_spec_into_a_prefix(tmp_path):
    dest = kernel.install(prefix=str(tmp_path))
    assert dest == tmp_path / "share" / "jupyter" / "kernels" / config.KERNEL_NAME
    assert json.loads((dest / "kernel.json").read_text(encoding="utf-8")) == kernel.kernel_spec()
    assert kernel.kernel_spec()["argv"][0] == sys.executable


def test_a_stale_user_kernelspec_cannot_take_over(tmp_path, monkeypatch):
    for root in ("user", "path"):
        spec = tmp_path / root / "kernels" / config.KERNEL_NAME
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps(
            {"argv": ["/bin/false", "{connection_file}"], "display_name": "stale", "language": "python"}))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "user"))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "path"))
    from jupyter_client.kernelspec import KernelSpecManager
    assert KernelSpecManager().get_kernel_spec(config.KERNEL_NAME).argv[0] == "/bin/false"  # the trap is armed
    manager = kernel.kernel_manager_class()(kernel_name=config.KERNEL_NAME)
    assert Path(manager.kernel_spec.argv[0]).resolve() == Path(sys.executable).resolve()


def test_slow_optional_imports_are_blocked():
    """rfc3987_syntax is installed (JupyterLab pulls it in), yet the kernel's jsonschema goes without it."""
    probe = ("import importlib.util; print(importlib.util.find_spec('rfc3987_syntax') is not None)\n"
             "from gongkai.kernel import block_slow_imports; block_slow_imports()\n"
             "try:\n    import rfc3987_syntax\nexcept ImportError:\n    print('blocked')\n"
             "import jsonschema; print('jsonschema-ok')")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["True", "blocked", "jsonschema-ok"], done.stderr
