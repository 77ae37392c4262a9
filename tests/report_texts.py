"""Short made-up reports (our own words, pre-2019 style) and a folder of them, shared by the dataset-side tests."""
from __future__ import annotations

from pathlib import Path


def report_text(office: str = "样例街道", year: int = 2017, total: int = 120, work: int = 100, notices: int = 20,
                requests: int = 3) -> str:
    """A pre-2019 style report of 样例区<office>: a total, two categories, requests all granted."""
    return (f"样例区{office}{year}年政府信息公开工作年度报告\n\n"
            f"本报告由样例区{office}办事处编制。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。\n\n"
            f"一、主动公开政府信息情况\n{year}年,本街道共主动公开政府信息{total}条,其中工作动态{work}条,"
            f"通知公告{notices}条。\n\n二、依申请公开政府信息情况\n{year}年,本街道共收到政府信息公开申请{requests}件,"
            f"其中同意公开{requests}件。\n")


def write_reports(root: Path) -> Path:
    """root/reports/样例区/ with 样例街道 2016 and 2017, 示范街道 2017 (GB18030), a README and a hidden file."""
    folder = root / "reports" / "样例区"
    folder.mkdir(parents=True)
    (folder / "yangli_2016.txt").write_text(report_text(year=2016, total=90, work=80, notices=10), encoding="utf-8")
    (folder / "yangli_2017.txt").write_text(report_text(), encoding="utf-8")
    (folder / "other_2017.txt").write_text(report_text(office="示范街道", total=7, work=5, notices=2, requests=0),
                                           encoding="gb18030")
    (folder / "README.md").write_text("not a report", encoding="utf-8")
    (folder / ".hidden.txt").write_text("not a report", encoding="utf-8")
    return root / "reports"
