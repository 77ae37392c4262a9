"""The notebooks: stored without outputs, literal parameters, and each one runs through papermill (slow)."""
from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import papermill
import pytest
from papermill.exceptions import PapermillExecutionError

import gongkai
from conftest import FIXTURES, PROJECT_ROOT, require
from gongkai import briefs, config, kernel

SMALL = FIXTURES / "dataset_small"
SAMPLE = PROJECT_ROOT / "data"
NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
FIXTURE_PARAMS = {
    "district_brief.ipynb": dict(district="西城区", years=[2017, 2018, 2019], offices=[], lang="zh"),
    "office_brief.ipynb": dict(office_id="xicheng.yuetan", years=[2018, 2019], lang="en"),
    "explore.ipynb": dict(district="西城区", lang="zh"),
    "city_brief.ipynb": dict(city="北京市", years=[2017, 2018, 2019], lang="zh"),
}
PLOTS = {"district_brief.ipynb": 5, "office_brief.ipynb": 4, "city_brief.ipynb": 3}


def run(notebook: Path, params: dict, data_dir: Path, tmp_path: Path):
    return papermill.execute_notebook(
        str(notebook), str(tmp_path / notebook.name), parameters=dict(params, data_dir=str(data_dir)),
        kernel_name=config.KERNEL_NAME, cwd=str(notebook.parent), progress_bar=False,
        start_timeout=kernel.START_TIMEOUT, kernel_manager_class=kernel.kernel_manager_class())


def test_all_three_notebooks_exist():
    assert [n.name for n in NOTEBOOKS] == ["city_brief.ipynb", "district_brief.ipynb", "explore.ipynb",
                                           "office_brief.ipynb"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs_with_literal_parameters(notebook):
    nb = nbformat.read(notebook, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == config.KERNEL_NAME
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert "parameters" in code[0].metadata.get("tags", [])
    assert sum("parameters" in c.metadata.get("tags", []) for c in nb.cells) == 1
    for statement in ast.parse(code[0].source).body:
        assert isinstance(statement, ast.Assign), ast.dump(statement)
        ast.literal_eval(statement.value)  # literals only
    assert len({c.id for c in nb.cells}) == len(nb.cells)


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_runs_on_the_small_fixture(notebook, tmp_path):
    nb = run(notebook, FIXTURE_PARAMS[notebook.name], SMALL, tmp_path)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    if notebook.name != "explore.ipynb":
        assert html.count('class="plotly-graph-div"') == PLOTS[notebook.name]
    else:
        plots = [o for o in outputs if "application/vnd.plotly.v1+json" in o.get("data", {})]
        assert len(plots) == 5  # one chart of each kind


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_runs_on_the_sample_data(notebook, tmp_path):
    require((SAMPLE / "facts.csv").is_file(), "the sample dataset data/facts.csv has not been built (make sample)")
    ds = gongkai.load(SAMPLE)
    if notebook.name == "explore.ipynb":
        params = dict(district=briefs.suggest_params("district", ds)["district"], lang="zh")
    elif notebook.name == "city_brief.ipynb":
        params = dict(city="北京市", years=list(range(2013, 2019)), lang="zh")
    else:
        params = briefs.suggest_params(notebook.name.split("_")[0], ds)
    nb = run(notebook, params, SAMPLE, tmp_path)
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]


@pytest.mark.slow
@pytest.mark.parametrize("notebook, params, listed", [
    ("district_brief.ipynb", dict(district="东城区", years=[2017]), "西城区"),
    ("district_brief.ipynb", dict(district="西城区", years=[2010, 2011]), "2017、2018、2019"),
    ("district_brief.ipynb", dict(district="西城区", years=[]), "years"),
    ("office_brief.ipynb", dict(office_id="007", years=[2017]), "xicheng.yuetan (月坛街道)"),
])
def test_wrong_parameter_stops_in_the_first_cell(notebook, params, listed, tmp_path):
    with pytest.raises(PapermillExecutionError) as error:
        run(config.NOTEBOOKS_DIR / notebook, params, SMALL, tmp_path)
    assert error.value.ename == "ParameterError" and listed in error.value.evalue
    nb = nbformat.read(tmp_path / notebook, as_version=4)
    failed = [i for i, c in enumerate(nb.cells) if any(o.output_type == "error" for o in c.get("outputs", []))]
    first_after_parameters = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                                  and "parameters" not in c.metadata.get("tags", [])
                                  and "injected-parameters" not in c.metadata.get("tags", []))
    assert failed == [first_after_parameters]


@pytest.mark.parametrize("notebook", sorted((FIXTURES / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_fixture_notebooks_are_valid_and_stored_without_outputs(notebook):
    nb = nbformat.read(notebook, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == config.KERNEL_NAME
    assert all(not c.outputs and c.execution_count is None for c in nb.cells if c.cell_type == "code")
