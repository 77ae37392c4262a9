"""The pipeline reads top-down: reading -> extract -> checks -> dataset -> views -> charts -> briefs -> build -> cli.

Every module of the package sits on one layer (LAYERS below); a module may import its own layer and the
layers under it, never one above. The test parses every module's imports (including those inside functions),
so an arrow that runs back up fails here, naming both modules.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lib" / "gongkai"

# layer: module names (a trailing '.' means the whole package)
LAYERS = [
    ("base", ["config", "errors", "wording", "atomic", "model", "taxonomy", "numbers", "identities", "locks", "limits",
              "params"]),   # params: what a brief is (kinds, years, slugs), named by views, pages and builds alike
    ("reading", ["reading", "formats."]),
    ("extract", ["extract."]),
    ("checks", ["checks."]),
    ("dataset", ["scanning", "registry", "store", "extraction_cache", "overrides", "ingest", "dataset", "sample",
                 "synth", "synth.", "columnar", "distributed_ingest"]),
    ("views", ["views", "summary", "quality", "links", "views_sql"]),
    ("charts", ["charts", "briefpage", "downloads"]),
    ("briefs", ["kernel", "plotlyjs", "briefs", "citypage"]),
    ("build", ["build."]),
    ("cli", ["cli."]),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def layer_of(name: str) -> int:
    for rank, (_, members) in enumerate(LAYERS):
        for member in members:
            if name == member or (member.endswith(".") and (name + ".").startswith(member)):
                return rank
    raise LookupError(name)


def imported_modules(path: Path) -> set[str]:
    """gongkai modules imported anywhere in the file ('gongkai.x.y' -> 'x.y'), the package root excluded."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gongkai"):
            base = node.module.removeprefix("gongkai").lstrip(".")
            for alias in node.names:
                candidate = f"{base}.{alias.name}" if base else alias.name
                found.add(candidate if (PACKAGE / candidate.replace(".", "/")).exists()
                          or (PACKAGE / (candidate.replace(".", "/") + ".py")).exists() else base)
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("gongkai.") for a in node.names if a.name.startswith("gongkai.")}
    return {name for name in found if name}


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p) or "gongkai")
def test_no_import_runs_back_up(path):
    name = module_name(path)
    if not name:                       # gongkai/__init__.py: load() is the notebooks' door to the dataset layer
        assert imported_modules(path) <= {"dataset", "config"}
        return
    own = layer_of(name)
    upward = sorted(m for m in imported_modules(path) if layer_of(m) > own)
    assert not upward, f"{name} ({LAYERS[own][0]}) imports {upward} from a higher layer"


def test_every_module_has_a_layer():
    unknown = []
    for path in MODULES:
        name = module_name(path)
        try:
            name and layer_of(name)
        except LookupError:
            unknown.append(name)
    assert not unknown, f"modules without a layer in LAYERS: {unknown}"


def test_the_checker_sees_an_upward_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from gongkai.build import run_build\n    import gongkai.views\n", encoding="utf-8")
    assert imported_modules(probe) == {"build", "views"}
    assert layer_of("build") > layer_of("views") > layer_of("extract.text") > layer_of("reading")
