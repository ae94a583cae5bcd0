"""The technical-field list (国家重点支持的高新技术领域, annex of 国科发火〔2016〕32号) as data."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

TECH_FIELDS_CSV = Path(__file__).resolve().parent / "data" / "tech_fields.csv"


def load_tech_fields(model: Any, path: Path = TECH_FIELDS_CSV) -> int:
    """Create or update the fields of the CSV (``code,name,parent``); returns the number of rows.
    Takes the model class so the data migration can pass its historical model."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_code: dict[str, Any] = {}
    for row in rows:
        parent = by_code.get(row["parent"]) if row["parent"] else None
        field, _ = model.objects.update_or_create(code=row["code"], defaults={"name": row["name"], "parent": parent})
        by_code[row["code"]] = field
    return len(rows)
