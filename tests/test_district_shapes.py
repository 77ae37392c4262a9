"""Every district shape: a district with only its government's report, a district with one office, a
city-level set (上海市 departments), a department-only set, an office with one year.

Each shape is a small dataset ingested in tmp_path from real corpus reports and registered the way a user
does it (`gongkai ingest`, then `gongkai offices add`). For each, the district brief, the office brief, the
explore notebook and briefs.yaml either make a sensible brief or stop before any kernel starts with one
sentence. The notebooks' cells run in this process (the same code a kernel runs, without starting one); the
two slow tests render through a real kernel: the government-only district's office brief and explore
notebook, and the city-level set's district brief.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

import gongkai
from gongkai import briefs, config
from gongkai.build import load_config
from gongkai.cli import main
from gongkai.errors import ConfigError, ParameterError
from gongkai.ingest import ingest
from gongkai.registry import add_offices, unregistered_in

SHAPES = {
    "government_only": ["district/reports/ptzhsyq_2023.txt", "district/reports/ptzhsyq_2024.txt"],
    "one_office": ["district/reports/htp_2023.txt", "district/reports/htp_2024.txt"],
    "city_level": ["full/shanghai_kewei_2024.md", "full/shanghai_bangongting_2025.md"],
    # 投资促进局 reports in 2024 only (before that it was 国有资产管理局): the office with one year
    "department_only": ["district/reports/jjf_2023.txt", "district/reports/jjf_2024.txt",
                        "district/reports/czj_2023.txt", "district/reports/czj_2024.txt",
                        "district/reports/tcj_2024.txt"],
}
PINGTAN = "平潭综合实验区"


@pytest.fixture(scope="module")
def shapes(corpus_dir, tmp_path_factory) -> dict[str, Path]:
    """Each shape's dataset folder: its reports ingested into an empty registry, then its offices added."""
    made = {}
    for shape, files in SHAPES.items():
        root = tmp_path_factory.mktemp(shape)
        (root / "reports").mkdir()
        for name in files:
            shutil.copy(corpus_dir / name, root / "reports")
        data = root / "data"
        data.mkdir()
        (data / "offices.csv").write_text("office_id,name,aliases,district,kind\n", encoding="utf-8")
        summary = ingest([root / "reports"], data)
        assert (summary.reports, summary.failed) == (len(files), [])
        add_offices(data / "offices.csv", unregistered_in(data))
        made[shape] = data
    return made


def offices(data: Path) -> dict[str, tuple[str, str, str]]:
    registry = gongkai.load(data).offices
    return {o: (n, d, k) for o, n, d, k in zip(registry.office_id, registry.name, registry.district, registry.kind)}


def run_cells(notebook: str, params: dict, data: Path) -> dict:
    """Execute a notebook's code cells in this process with params in place of its parameters cell (what
    papermill injects); returns the notebook's variables. An exception in a cell propagates as it is."""
    nb = nbformat.read(config.NOTEBOOKS_DIR / notebook, as_version=4)
    namespace: dict = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        exec(compile(cell.source, f"{notebook}:{cell.id}", "exec"), namespace)
        if "parameters" in cell.metadata.get("tags", []):
            namespace.update(params, data_dir=str(data))
    return namespace


def write_config(root: Path, data: Path, entries: str) -> Path:
    path = root / "briefs.yaml"
    path.write_text(f"output: {root / 'out'}\ndata: {data}\nbriefs:\n{entries}", encoding="utf-8")
    return path


def test_each_shape_is_registered_as_onboarding_guesses_it(shapes):
    assert offices(shapes["government_only"]) == {
        "pingtan.quzhengfu": ("平潭综合实验区人民政府", PINGTAN, "district_government")}
    assert offices(shapes["one_office"]) == {
        "pingtan.haitanpianquguanliju": ("海坛片区管理局", PINGTAN, "area_office")}
    assert offices(shapes["city_level"]) == {
        "shanghai.kexuejishuweiyuanhui": ("上海市科学技术委员会", "上海市", "department"),
        "shanghai.renminzhengfubangongting": ("上海市人民政府办公厅", "上海市", "department")}
    assert offices(shapes["department_only"]) == {
        "pingtan.caizhengjinrongju": ("财政金融局", PINGTAN, "department"),
        "pingtan.jingjifazhanju": ("经济发展局", PINGTAN, "department"),
        "pingtan.touzicujinju": ("投资促进局", PINGTAN, "department")}


def test_government_only_district_brief_stops_before_a_kernel_pointing_at_the_office_brief(shapes, tmp_path, capsys):
    data = shapes["government_only"]
    ds = gongkai.load(data)
    with pytest.raises(ParameterError) as caught:
        briefs.validate_params("district", dict(district=PINGTAN, years="all"), ds)
    assert str(caught.value) == (
        "平潭综合实验区 has no report from an office under it, only the district government's own report "
        "(平潭综合实验区人民政府 (pingtan.quzhengfu)), which covers the whole district and so is not compared with "
        "offices under it: its office brief shows it (gongkai brief office --office-id pingtan.quzhengfu --years all)")
    # the command says the same in one line and renders nothing
    assert main(["brief", "district", "--district", PINGTAN, "--data", str(data), "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"gongkai brief: {caught.value}\n" and not any(tmp_path.iterdir())
    # the office brief and explore are what such a district has
    office = briefs.validate_params("office", dict(office_id="pingtan.quzhengfu", years="all"), ds)
    assert office["years"] == [2023, 2024]
    run_cells("office_brief.ipynb", dict(office_id="pingtan.quzhengfu", years=[2023, 2024], lang="zh"), data)
    explored = run_cells("explore.ipynb", dict(district=PINGTAN, lang="zh"), data)
    assert explored["sel"] == dict(district=PINGTAN, offices=["pingtan.quzhengfu"], years=[2023, 2024])
    assert explored["volume"].set_index("year").value.to_dict() == {2023: 13561, 2024: 10407}


def test_government_only_district_in_briefs_yaml(shapes, tmp_path):
    data = shapes["government_only"]
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(tmp_path, data, f"  - kind: office\n    district: {PINGTAN}\n"
                                                 f"  - kind: district\n    district: {PINGTAN}\n"))
    assert caught.value.line == 7                 # the district: line of the entry
    assert caught.value.message.endswith("(kind: office, district: 平潭综合实验区, offices: [pingtan.quzhengfu])")
    built = load_config(write_config(tmp_path, data, f"  - kind: office\n    district: {PINGTAN}\n"))
    assert [(b.office_id, b.params["years"]) for b in built.briefs] == [("pingtan.quzhengfu", [2023, 2024])]


def test_district_with_one_office(shapes, tmp_path):
    data = shapes["one_office"]
    ds = gongkai.load(data)
    params = briefs.validate_params("district", dict(district=PINGTAN, years="all"), ds)
    assert params == dict(district=PINGTAN, years=[2023, 2024], offices=[], lang="zh")
    district = run_cells("district_brief.ipynb", params, data)
    assert district["volume"].set_index("year").value.to_dict() == {2023: 159, 2024: 128}
    run_cells("office_brief.ipynb", dict(office_id="pingtan.haitanpianquguanliju", years=[2023, 2024], lang="en"),
              data)
    run_cells("explore.ipynb", dict(district=PINGTAN, lang="en"), data)
    built = load_config(write_config(tmp_path, data, f"  - kind: district\n    district: {PINGTAN}\n"
                                                     f"  - kind: office\n    district: {PINGTAN}\n"))
    assert [(b.kind, b.params["years"]) for b in built.briefs] == [("district", [2023, 2024]),
                                                                   ("office", [2023, 2024])]


def test_city_level_set_of_departments(shapes, tmp_path):
    data = shapes["city_level"]
    ds = gongkai.load(data)
    params = briefs.validate_params("district", dict(district="上海市", years="all"), ds)
    assert params["years"] == [2024, 2025]
    district = run_cells("district_brief.ipynb", params, data)
    assert district["volume"].dropna(subset=["value"])[["office", "year"]].values.tolist() == [
        ["上海市科学技术委员会", 2024], ["上海市人民政府办公厅", 2025]]
    run_cells("office_brief.ipynb", dict(office_id="shanghai.kexuejishuweiyuanhui", years=[2024], lang="zh"), data)
    run_cells("explore.ipynb", dict(district="上海市", lang="zh"), data)
    with pytest.raises(ParameterError, match=r"unknown district '上海'; did you mean 上海市\? \(districts with "
                                              r"reports: 上海市\)"):
        briefs.validate_params("district", dict(district="上海", years="all"), ds)
    built = load_config(write_config(tmp_path, data, "  - kind: district\n    district: 上海市\n    years: last 2 years\n"
                                                     "  - kind: office\n    district: 上海市\n"))
    assert [(b.kind, b.office_id, b.params["years"]) for b in built.briefs] == [
        ("district", None, [2024, 2025]), ("office", "shanghai.kexuejishuweiyuanhui", [2024]),
        ("office", "shanghai.renminzhengfubangongting", [2025])]


def test_department_only_set_and_an_office_with_one_year(shapes, tmp_path):
    data = shapes["department_only"]
    ds = gongkai.load(data)
    params = briefs.validate_params("district", dict(district=PINGTAN, years="2023-2024"), ds)
    district = run_cells("district_brief.ipynb", params, data)
    assert sorted(district["volume"].office_id.unique()) == ["pingtan.caizhengjinrongju", "pingtan.jingjifazhanju",
                                                             "pingtan.touzicujinju"]
    one_year = briefs.validate_params("office", dict(office_id="pingtan.touzicujinju", years="all"), ds)
    assert one_year["years"] == [2024]
    office = run_cells("office_brief.ipynb", one_year, data)
    assert office["volume"].set_index("year").value.to_dict() == {2024: 1}
    run_cells("explore.ipynb", dict(district=PINGTAN, lang="zh"), data)
    with pytest.raises(ParameterError, match="unknown office_id 'pingtan.touzicujin'; did you mean "
                                              "pingtan.touzicujinju"):
        briefs.validate_params("office", dict(office_id="pingtan.touzicujin", years="all"), ds)
    built = load_config(write_config(tmp_path, data, f"  - kind: office\n    district: {PINGTAN}\n    years: all\n"))
    assert {b.office_id: b.params["years"] for b in built.briefs} == {
        "pingtan.caizhengjinrongju": [2023, 2024], "pingtan.jingjifazhanju": [2023, 2024],
        "pingtan.touzicujinju": [2024]}


@pytest.mark.slow
def test_government_only_renders_its_office_brief_and_explore(shapes, tmp_path):
    import papermill

    from gongkai import kernel
    data = shapes["government_only"]
    result = briefs.render_brief("office", dict(office_id="pingtan.quzhengfu", years="all", lang="zh"), tmp_path,
                                 data_dir=data)
    assert result.html_path == tmp_path / "office" / "office-pingtan-quzhengfu-2023-2024.html"
    assert "平潭综合实验区人民政府" in result.html_path.read_text(encoding="utf-8")
    nb = papermill.execute_notebook(
        str(config.NOTEBOOKS_DIR / "explore.ipynb"), str(tmp_path / "explore.ipynb"),
        parameters=dict(district=PINGTAN, lang="zh", data_dir=str(data)), kernel_name=config.KERNEL_NAME,
        cwd=str(config.NOTEBOOKS_DIR), progress_bar=False, start_timeout=kernel.START_TIMEOUT,
        kernel_manager_class=kernel.kernel_manager_class())
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("application/vnd.plotly.v1+json" in o.get("data", {}) for o in outputs) == 5


@pytest.mark.slow
def test_city_level_district_brief_renders(shapes, tmp_path):
    result = briefs.render_brief("district", dict(district="上海市", years="all", lang="zh"), tmp_path,
                                 data_dir=shapes["city_level"])
    html = result.html_path.read_text(encoding="utf-8")
    assert result.html_path.name.endswith("-2024-2025.html")
    assert "上海市科学技术委员会" in html and "上海市人民政府办公厅" in html
