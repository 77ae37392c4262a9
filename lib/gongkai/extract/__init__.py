"""Document -> Report: meta (office, year, era) and facts from prose and tables, reconciled.

Extraction states what a report says and records what it lacks or says twice (meta.year None, an empty
office, Report.conflicts) as data; it makes no findings. gongkai.checks.check_report turns a Report into
findings, after extraction (ingest runs it), so a change to a check never invalidates an extraction.
"""
from __future__ import annotations

from gongkai.extract.meta import extract_meta
from gongkai.extract.reconcile import reconcile, statement_label
from gongkai.extract.tables import table_facts
from gongkai.extract.text import text_facts
from gongkai.model import Document, Report


def report_id(doc: Document) -> str:
    """A report's id: the first 12 hex digits of its content hash."""
    return doc.sha[:12]


def extract_report(doc: Document) -> Report:
    """Meta, facts and conflicting statements of one Document (no findings). Never raises on odd content."""
    meta = extract_meta(doc)
    facts, conflicts = reconcile(text_facts(doc, meta) + table_facts(doc, meta))
    return Report(report=report_id(doc), source=doc.header.get("url") or doc.path, path=doc.path, meta=meta,
                  facts=facts, conflicts=conflicts)


def extract_file(path) -> Report:
    """Read and extract one report file; raises gongkai.errors.ReadError when the file cannot be read."""
    from gongkai.reading import read_document
    return extract_report(read_document(path))


__all__ = ["extract_report", "extract_file", "reconcile", "report_id", "statement_label"]
