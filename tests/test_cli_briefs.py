"""gongkai.cli.briefs: `gongkai brief` and `gongkai build` — what they print and their exit statuses."""
from __future__ import annotations

import pytest

from buildspace import make_workspace
from conftest import FIXTURES
from gongkai import config
from gongkai.build import BuildReport, RenderOutcome
from gongkai.cli import briefs as cli_briefs
from gongkai.cli import main
from gongkai.errors import BriefError, GongkaiError

SMALL = FIXTURES / "dataset_small"


@pytest.fixture
def small_data(monkeypatch):
    monkeypatch.setattr(config, "DATA_DIR", SMALL)


@pytest.mark.slow
def test_brief_prints_the_path(tmp_path, small_data, capsys):
    status = main(["brief", "office", "--office-id", "xicheng.jinrongjie", "--years", "2017-2019",
                   "--out", str(tmp_path)])
    assert status == 0
    path = tmp_path / "office" / "office-xicheng-jinrongjie-2017-2019.html"
    assert capsys.readouterr().out.strip() == str(path) and path.is_file()


def test_brief_with_a_bad_parameter_exits_1(tmp_path, small_data, capsys):
    status = main(["brief", "district", "--district", "西城区", "--years", "2017-2019",
                   "--offices", "xicheng.yuetan, nope", "--out", str(tmp_path)])
    assert status == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("gongkai brief: unknown office(s) nope in 西城区")
    assert "xicheng.jinrongjie (金融街街道)" in captured.err
    assert not any(tmp_path.iterdir())


def test_brief_passes_the_parameters_and_reports_a_failing_cell(tmp_path, monkeypatch, capsys):
    calls = []

    def failing(kind, params, out_dir, data_dir=None):
        calls.append((kind, params, out_dir, data_dir))
        raise BriefError("district brief d: cell 4 failed", cell="x = 1 / 0",
                         error="ZeroDivisionError: division by zero", notebook=tmp_path / "_failed" / "d.ipynb")
    monkeypatch.setattr(cli_briefs, "render_brief", failing)
    status = main(["brief", "district", "--district", "西城区", "--years", "2017-2019", "--offices", "a,,b ",
                   "--lang", "en", "--out", str(tmp_path)])
    assert status == 1
    params = dict(district="西城区", years="2017-2019", offices=["a", "b"], lang="en")
    assert calls == [("district", params, tmp_path, None)]
    assert capsys.readouterr().err == (
        "gongkai brief: district brief d: cell 4 failed\n  error: ZeroDivisionError: division by zero\n"
        f"  executed notebook: {tmp_path / '_failed' / 'd.ipynb'}\n  cell:\nx = 1 / 0\n")


def test_brief_takes_years_all_by_default_and_a_data_folder(tmp_path, monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(cli_briefs, "render_brief", lambda *args, **kwargs: calls.append((args, kwargs)) or
                        type("R", (), {"html_path": tmp_path / "b.html"})())
    assert main(["brief", "district", "--district", "平潭综合实验区", "--data", str(SMALL), "--out", str(tmp_path)]) == 0
    assert main(["brief", "office", "--office-id", "x.y", "--years", "last 3 years", "--out", str(tmp_path)]) == 0
    assert calls == [(("district", dict(district="平潭综合实验区", years="all", offices=[], lang="zh"), tmp_path),
                      {"data_dir": SMALL}),
                     (("office", dict(office_id="x.y", years="last 3 years", lang="zh"), tmp_path), {"data_dir": None})]
    assert capsys.readouterr().out == f"{tmp_path / 'b.html'}\n" * 2


def test_brief_of_an_unknown_district_suggests_the_closest_with_reports(tmp_path, capsys):
    status = main(["brief", "district", "--district", "平潭", "--out", str(tmp_path)])   # the committed sample
    assert status == 1
    err = capsys.readouterr().err
    assert err.startswith("gongkai brief: unknown district '平潭'; did you mean 平潭综合实验区? (districts with reports: ")
    assert err.count("\n") == 1 and not any(tmp_path.iterdir())


def test_brief_rejects_an_unknown_kind_or_language(capsys):
    for argv in (["brief", "street"], ["brief", "office", "--lang", "fr"]):
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 2
    assert "invalid choice: 'fr' (choose from 'zh', 'en')" in capsys.readouterr().err


def test_bad_config_exits_2(tmp_path, capsys):
    path = make_workspace(tmp_path, "data: data\nbriefs:\n  - kind: office\n    offices: [nobody]\n")
    assert main(["build", "--config", str(path)]) == 2
    assert f"gongkai build: {path}:4: unknown office 'nobody'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_jobs_below_1_exits_2(tmp_path, capsys):
    assert main(["build", "--config", str(make_workspace(tmp_path)), "-j", "0"]) == 2
    assert capsys.readouterr().err == "gongkai build: -j must be at least 1\n"


def test_a_running_build_exits_1(tmp_path, monkeypatch, capsys):
    def busy(*args, **kwargs):
        raise GongkaiError(f"another gongkai build is running on {tmp_path / 'out'}")
    monkeypatch.setattr(cli_briefs, "run_build", busy)
    assert main(["build", "--config", str(make_workspace(tmp_path))]) == 1
    assert capsys.readouterr().err == f"gongkai build: another gongkai build is running on {tmp_path / 'out'}\n"


def test_build_summary(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    seen = {}
    report = BuildReport(built=[f"office/o{i}" for i in range(52)], up_to_date=["district/d"],
                         failed=[RenderOutcome("office/f", False, 1.0, error="ValueError: boom",
                                               cell="import x\nraise ValueError('boom')",
                                               failed_notebook=str(out / "_failed" / "f.ipynb")),
                                 RenderOutcome("office/g", False, 1.0, error="the worker process died")],
                         status=1)

    def fake_run(build_config, **kwargs):
        seen.update(kwargs)
        return report
    monkeypatch.setattr(cli_briefs, "run_build", fake_run)
    status = main(["build", "--config", str(make_workspace(tmp_path)), "-j", "3", "--force", "--only", "office/*"])
    assert status == 1
    assert seen == dict(jobs=3, force=True, only="office/*", scheduler=None)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"52 built, 1 up to date, 2 failed -> {out / 'index.html'}"
    assert lines[1] == f"  built  {out / 'office' / 'o0'}.html" and len([x for x in lines if "  built  " in x]) == 50
    assert lines[51] == f"  ... and 2 more (see {out / 'manifest.json'})"
    assert lines[52:] == ["  FAILED office/f in cell import x ⏎ raise ValueError('boom'): ValueError: boom",
                          f"         executed notebook: {out / '_failed' / 'f.ipynb'}",
                          "  FAILED office/g: the worker process died"]
