"""errors: each typed error carries its fields, names the file (and line) in its message, and survives pickling
(errors cross process-pool and Dask worker boundaries)."""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from gongkai.errors import BriefError, ConfigError, GongkaiError, ParameterError, ReadError


def test_every_error_is_a_gongkai_error():
    for error in (ReadError("a.txt", "empty file"), ParameterError("unknown district '东城'"),
                  ConfigError("duplicate key 'kind'", 3, "briefs.yaml"), BriefError("cell 4 failed")):
        assert isinstance(error, GongkaiError)


def test_read_error_names_the_file_and_the_problem():
    error = ReadError(Path("data/reports/yuetan_2017.pdf"), "not a PDF (starts with PK)")
    assert (error.path, error.problem) == ("data/reports/yuetan_2017.pdf", "not a PDF (starts with PK)")
    assert str(error) == "data/reports/yuetan_2017.pdf: not a PDF (starts with PK)"


@pytest.mark.parametrize("line, path, message", [
    (14, "briefs.yaml", "briefs.yaml:14: unknown office 'xicheng.yuetna'"),
    (None, "briefs.yaml", "briefs.yaml: unknown office 'xicheng.yuetna'"),
    (14, None, "line 14: unknown office 'xicheng.yuetna'"),
    (None, None, "unknown office 'xicheng.yuetna'"),
])
def test_config_error_names_file_and_line(line, path, message):
    error = ConfigError("unknown office 'xicheng.yuetna'", line, path)
    assert str(error) == message
    assert (error.message, error.line, error.path) == ("unknown office 'xicheng.yuetna'", line, path)


def test_config_error_path_is_a_string():
    assert ConfigError("the config is empty", None, Path("/srv/gongkai/briefs.yaml")).path == "/srv/gongkai/briefs.yaml"


def test_brief_error_carries_the_failing_cell():
    error = BriefError("district/xicheng-2017 failed in cell 3", cell="page.show(charts.coverage_heatmap(cover))",
                       error="KeyError: 'facts'", notebook=Path("outputs/_failed/xicheng.ipynb"))
    assert str(error) == "district/xicheng-2017 failed in cell 3"
    assert (error.cell, error.error, error.notebook) == (
        "page.show(charts.coverage_heatmap(cover))", "KeyError: 'facts'", "outputs/_failed/xicheng.ipynb")
    assert BriefError("kernel did not start").notebook is None


@pytest.mark.parametrize("error", [
    ReadError("a.docx", "not a Word file"),
    ConfigError("years: '2017-2015' runs backwards", 9, "briefs.yaml"),
    ConfigError("the config is empty", None, "briefs.yaml"),
    BriefError("failed", cell="1/0", error="ZeroDivisionError", notebook="outputs/_failed/x.ipynb"),
    ParameterError("years [] is an empty year range"),
], ids=lambda e: type(e).__name__)
def test_errors_survive_pickling_with_their_fields(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and str(copy) == str(error)
    assert vars(copy) == vars(error)
