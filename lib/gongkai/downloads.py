"""Every table of a brief, to take away: CSV and Excel (.xlsx) files embedded in the page as data: URIs.

The page stays one offline file: a download link carries its file (base64) in its href, so it works from
a USB stick or an e-mail attachment with no server. The .xlsx is written here with openpyxl at render
time, byte-for-byte the same for the same table (fixed timestamps in the zip and in docProps/core.xml),
so a brief stays deterministic.

What a spreadsheet must not do with report text: run it. A cell that starts like a formula (= + - @)
is stored as text in the .xlsx and prefixed with ' in the CSV; characters XML cannot hold are dropped.
CSV is UTF-8 with a byte-order mark, so Excel opens Chinese text as Chinese.
"""
from __future__ import annotations

import base64
import io
import re
import zipfile
from html import escape

import pandas as pd

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = "2000-01-01T00:00:00Z"
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_COLUMN_WIDTH = 60
TEXT = {"zh": {"download": "下载表格：", "csv": "CSV", "xlsx": "Excel"},
        "en": {"download": "Download: ", "csv": "CSV", "xlsx": "Excel"}}


def _safe_text(value: str) -> str:
    return XML_ILLEGAL.sub("", value)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """frame as CSV (UTF-8 with BOM, header row, no index); text that could start a formula gets a '."""
    def cell(value):
        if isinstance(value, str):
            value = _safe_text(value)
            return "'" + value if value.startswith(FORMULA_START) else value
        return value
    safe = whole_numbers(frame)
    safe = safe.apply(lambda column: column.map(cell)) if len(safe.columns) else safe
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def whole_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """frame with float columns that hold only whole numbers (and blanks) as integers: 267, not 267.0."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_float_dtype(values) and values.dropna().map(float.is_integer).all():
            out[column] = values.astype("Int64")
    return out


def _cell_value(value):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (bool,)):
        return value
    if hasattr(value, "item"):            # numpy scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (int, float)):
        return value
    return _safe_text(str(value))


def _deterministic(xlsx: bytes) -> bytes:
    """The same zip with fixed entry times and fixed created/modified times in docProps/core.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                              rb"\g<1>" + FIXED_DOC_TIME.encode() + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, data)
    return out.getvalue()


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """frame as an .xlsx workbook: one sheet, bold frozen header row, text never read as a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = _safe_text(sheet)[:31] or "data"
    ws.append([_safe_text(str(c)) for c in frame.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(str(c)) for c in frame.columns]
    for row_number, row in enumerate(frame.itertuples(index=False), start=2):
        for col_number, value in enumerate(row, start=1):
            cell = ws.cell(row=row_number, column=col_number, value=_cell_value(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"                 # '=HYPERLINK(…)' from a report stays text
                widths[col_number - 1] = max(widths[col_number - 1], len(cell.value))
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = min(MAX_COLUMN_WIDTH, width * 1.6 + 2)
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return _deterministic(buffer.getvalue())


def data_uri(data: bytes, mime: str) -> str:
    """data:<mime>;base64,<data>."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def links_html(frame: pd.DataFrame, name: str, lang: str = "zh") -> str:
    """Two download links (CSV, Excel) for frame as shown to the reader; name is the file name stem."""
    t = TEXT[lang]
    stem = re.sub(r"[^\w.-]+", "-", name).strip("-") or "table"
    csv_href = data_uri(csv_bytes(frame), CSV_MIME)
    xlsx_href = data_uri(xlsx_bytes(frame, stem), XLSX_MIME)
    return (f'<div class="gk-downloads">{escape(t["download"])}'
            f'<a class="gk-download" download="{escape(stem)}.csv" href="{csv_href}" data-format="csv">{t["csv"]}</a> '
            f'<a class="gk-download" download="{escape(stem)}.xlsx" href="{xlsx_href}" data-format="xlsx">'
            f'{t["xlsx"]}</a></div>')


__all__ = ["CSV_MIME", "XLSX_MIME", "csv_bytes", "data_uri", "links_html", "xlsx_bytes"]
