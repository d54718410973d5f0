"""Room options remembered between runs: theme, hidden authors, ASCII borders."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields

from ..store.locations import home


@dataclass
class Settings:
    theme: str = "textual-dark"
    hide_authors: bool = False
    ascii_borders: bool = False

    @classmethod
    def load(cls) -> "Settings":
        try:
            data = json.loads((home() / "settings.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known}) if isinstance(data, dict) else cls()

    def save(self) -> None:
        target = home() / "settings.json"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".tmp")
            tmp.write_text(json.dumps(asdict(self)), encoding="utf-8")
            os.replace(tmp, target)
        except OSError:
            pass  # an option not remembered is no reason to stop the workshop
