"""taxonomy: the vocabularies read from gongkai/data (labels, units, phrasings, applicant order)."""
import pytest

from gongkai import taxonomy


def test_tables_are_read_once_as_rows():
    rows = taxonomy.table("applicants")
    assert rows is taxonomy.table("applicants")
    assert rows[0] == {"id": "natural_person", "zh": "自然人", "en": "Natural persons"}


def test_labels_and_units_of_metrics():
    assert taxonomy.metric_unit("proactive_items_total") == "条"
    assert taxonomy.metric_unit("consultations_total") == "人次"
    assert taxonomy.metric_unit("no_such_metric") == ""
    assert taxonomy.metric_label("no_such_metric") == "no_such_metric"
    assert taxonomy.labels("applicants", "en")["total"] == "Total"
    with pytest.raises(ValueError):
        taxonomy.labels("applicants", "fr")


def test_phrasings_longest_first():
    pairs = taxonomy.phrasings("categories")
    assert [len(p) for p, _ in pairs] == sorted((len(p) for p, _ in pairs), reverse=True)
    assert ("机构职能", "org_function") in pairs


def test_the_one_applicant_order():
    assert taxonomy.applicant_order() == ("natural_person", "business", "research", "social_welfare",
                                          "legal_service", "other_org", "total")


def test_districts_kinds_and_additive_metrics():
    assert taxonomy.district_slugs()["西城区"] == "xicheng"
    assert "district_government" in taxonomy.district_wide_kinds()
    assert "proactive_items_by_category" in taxonomy.additive_metrics()
    assert "proactive_items_total" not in taxonomy.additive_metrics()
