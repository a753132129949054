"""Reading uploaded spreadsheets safely and writing exports that cannot inject formulas.

Reading (.xlsx via python-calamine, .csv in UTF-8 or GBK):
- the upload is refused over GONGJIANG_MAX_UPLOAD_BYTES, and an .xlsx whose zip would expand past
  GONGJIANG_MAX_XLSX_UNCOMPRESSED_BYTES, has too many entries or an absurd compression ratio (zip bomb);
- formulas are never evaluated: a formula cell is read as its formula text (`=SUM(A1:A3)`), which
  the row validation then refuses like any other bad value;
- rows come back as dicts keyed by the header row, with their 1-based spreadsheet row number.

Writing: every text cell that starts with = + - @ or a control character is prefixed with an
apostrophe, so Excel and WPS show it as text (CSV injection, OWASP).
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from django.conf import settings
from python_calamine import CalamineWorkbook

from .errors import DomainError

MAX_ZIP_ENTRIES = 2000
MAX_COMPRESSION_RATIO = 200
FORMULA_CELL = re.compile(rb'<c\b[^>]*\br="([A-Z]+)(\d+)"[^>]*>\s*<f\b[^>]*>(.*?)</f>', re.DOTALL)
INJECTION_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


@dataclass(frozen=True)
class SheetRow:
    number: int
    values: dict[str, str]


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return str(decimal.Decimal(str(value)))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _check_xlsx_container(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise DomainError("bad_file", "文件不是有效的 Excel(.xlsx) 文件") from exc
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise DomainError("bad_file", "Excel 文件结构异常（条目过多），已拒绝")
    total = sum(info.file_size for info in infos)
    if total > settings.GONGJIANG_MAX_XLSX_UNCOMPRESSED_BYTES:
        raise DomainError("bad_file", "Excel 文件解压后过大，已拒绝")
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
            raise DomainError("bad_file", "Excel 文件压缩比异常（疑似压缩炸弹），已拒绝")
    return archive


def _formula_cells(archive: zipfile.ZipFile, sheet_index: int) -> dict[tuple[int, int], str]:
    name = f"xl/worksheets/sheet{sheet_index + 1}.xml"
    if name not in archive.namelist():
        return {}
    xml = archive.read(name)
    cells: dict[tuple[int, int], str] = {}
    for match in FORMULA_CELL.finditer(xml):
        letters, row, formula = match.groups()
        text = (
            formula.decode("utf-8", "replace").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        )
        cells[(int(row) - 1, _column_index(letters.decode()))] = "=" + text
    return cells


def _rows_from_grid(grid: Sequence[Sequence[Any]], start_row: int = 1) -> tuple[list[str], list[SheetRow]]:
    if not grid:
        raise DomainError("empty_file", "文件为空：缺少表头行")
    header = [_cell_text(cell) for cell in grid[0]]
    rows: list[SheetRow] = []
    for offset, raw in enumerate(grid[1:], start=1):
        values = {
            header[i]: _cell_text(raw[i]) if i < len(raw) else "" for i in range(len(header)) if header[i]
        }
        if any(values.values()):
            rows.append(SheetRow(number=start_row + offset, values=values))
    if len(rows) > settings.GONGJIANG_MAX_IMPORT_ROWS:
        raise DomainError("too_many_rows", f"文件行数超过上限 {settings.GONGJIANG_MAX_IMPORT_ROWS} 行")
    return header, rows


def read_xlsx(data: bytes) -> tuple[list[str], list[SheetRow]]:
    archive = _check_xlsx_container(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        grid: list[list[Any]] = [list(r) for r in sheet.to_python(skip_empty_area=False)]
    except Exception as exc:  # calamine raises several unrelated error types for damaged files
        raise DomainError("bad_file", "无法读取 Excel 文件，请使用下载的模板另存为 .xlsx") from exc
    for (r, c), formula in _formula_cells(archive, 0).items():
        while len(grid) <= r:
            grid.append([])
        while len(grid[r]) <= c:
            grid[r].append(None)
        grid[r][c] = formula
    return _rows_from_grid(grid)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK) — what WPS and Excel save."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError("bad_encoding", "无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV")


def read_csv(data: bytes) -> tuple[list[str], list[SheetRow]]:
    text = decode_text(data)
    grid = list(csv.reader(io.StringIO(text)))
    return _rows_from_grid(grid)


def read_table(filename: str, data: bytes) -> tuple[list[str], list[SheetRow]]:
    if len(data) > settings.GONGJIANG_MAX_UPLOAD_BYTES:
        raise DomainError("file_too_large", "文件过大，已拒绝")
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        return read_xlsx(data)
    if lower.endswith(".csv"):
        return read_csv(data)
    raise DomainError("bad_file_type", "只支持 .xlsx 或 .csv 文件")


def require_columns(header: Iterable[str], required: Iterable[str]) -> None:
    missing = [name for name in required if name not in set(header)]
    if missing:
        raise DomainError("missing_columns", "缺少必填列：" + "、".join(missing))


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(INJECTION_PREFIXES):
        return "'" + value
    return value


def write_xlsx(sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = workbook.add_format({"bold": True})
    for title, (header, rows) in sheets.items():
        sheet = workbook.add_worksheet(title[:31])
        sheet.write_row(0, 0, list(header), bold)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                value = neutralise(value)
                if isinstance(value, decimal.Decimal):
                    value = str(value)
                if isinstance(value, dt.date):
                    value = value.isoformat()
                sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
