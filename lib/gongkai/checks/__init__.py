"""Checks: arithmetic identities -> findings, run after extraction (never raising on bad data).

checks.report   within one report: table identities, categories vs total, shares, bounds, meta (check_report)
checks.across   across reports: years of one office, two reports of one office-year (check_across_years,
                check_conflicts)
"""
from __future__ import annotations

from gongkai.checks.across import check_across_years, check_conflicts
from gongkai.checks.report import check_report

__all__ = ["check_report", "check_across_years", "check_conflicts"]
