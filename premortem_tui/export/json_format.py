"""The JSON export (PRODUCT.md, "The JSON export"): the session's document as text."""

from __future__ import annotations

import json
from datetime import datetime

from ..domain.json_document import to_document
from ..domain.model import Workshop


def dumps(w: Workshop, now: datetime) -> str:
    return json.dumps(to_document(w, now), ensure_ascii=False, indent=2) + "\n"
