"""links: a source as a reader may see it, and the stable names briefs link to each other by."""
from __future__ import annotations

from gongkai import links
from gongkai.params import brief_slug


def test_a_source_is_its_url_or_its_file_name_never_a_path():
    assert links.source_label("https://www.bjxch.gov.cn/x/y.html") == "https://www.bjxch.gov.cn/x/y.html"
    assert links.source_label("../shared/corpus/seeds/xicheng_yuetan_2017.txt") == "xicheng_yuetan_2017.txt"
    assert links.source_label("/work/main/data/reports/a b.docx") == "a b.docx"
    assert links.source_label("C:\\Users\\x\\报告.pdf") == "报告.pdf"
    assert links.source_label(None) == "" and links.source_label(float("nan")) == ""


def test_current_names_are_the_brief_slug_without_its_years():
    office = dict(office_id="xicheng.yuetan", years=[2017, 2018], lang="zh")
    assert brief_slug("office", office) == "office-xicheng-yuetan-2017-2018"
    assert links.current_name("office", "xicheng.yuetan") == "office-xicheng-yuetan.html"
    assert links.current_name("district", "西城区", "en") == "district-xicheng-en.html"
    assert links.current_path("district", "西城区") == "latest/district/district-xicheng.html"
    assert links.current_href("office", "xicheng.yuetan") == "../latest/office/office-xicheng-yuetan.html"


def test_a_name_without_a_slug_is_hashed_never_copied():
    name = links.current_name("district", "<script>区")
    assert name.startswith("district-d") and name.endswith(".html") and "<" not in name


def test_index_anchors():
    assert links.index_anchor("西城区") == "district-xicheng"
    assert links.index_href("西城区") == "../index.html#district-xicheng" and links.index_href() == "../index.html"
