"""How a report's stored values read on its pages: 107-1 code-list values by their Chinese meaning and
``YYYYMM`` dates as 2025年1月 (the stored form keeps the statistical codes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kechuang.engines.rdreport.catalogue import Unit


def shown_cell(catalogue: Any, column: Any, value: Any) -> str:
    """One 107-1 cell as shown: a code → its meaning in the year's code list (an unknown code says so),
    ``YYYYMM`` → 「2025年1月」 (0 or blank → empty), anything else as given (money already in 千元)."""
    if value in (None, ""):
        return ""
    if column.unit is Unit.CODE and column.code_list:
        codes = catalogue.code_lists[column.code_list].values
        try:
            return codes.get(int(value)) or f"未知代码 {value}"
        except (TypeError, ValueError):
            return str(value)
    if column.unit is Unit.YEAR_MONTH:
        text = str(value).strip()
        if text in ("0", ""):
            return ""
        if len(text) == 6 and text.isdigit() and 1 <= int(text[4:]) <= 12:
            return f"{text[:4]}年{int(text[4:])}月"
        return text
    return str(value)


def project_cells(catalogue: Any, values: Mapping[str, Any]) -> list[str]:
    """A 107-1 row's cells in the catalogue's column order, each by :func:`shown_cell`."""
    return [shown_cell(catalogue, column, values.get(key)) for key, column in catalogue.project_columns.items()]
