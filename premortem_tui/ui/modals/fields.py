"""What a form field is: declared by screens, drawn by CardForm (kept apart so that
declaring a form does not import the form's widgets)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FormField:
    name: str
    label: str
    kind: str = "input"  # input, area, select, pick (several of a searchable list)
    value: object = ""
    options: list[tuple[str, str]] = field(default_factory=list)  # (label, value) for select / pick
    suggestions: list[str] = field(default_factory=list)
    placeholder: str = ""
