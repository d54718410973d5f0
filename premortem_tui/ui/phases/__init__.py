"""The board's phases, a widget each (see base.PhaseView).

The impact and priority phases' modules (the grid, the coverage panel) are imported when
the phase is first shown, not with the board: less to load before the first paint.
"""

from __future__ import annotations

from .base import PhaseView


def build_phase(phase: str, ascii_borders: bool, author: str) -> PhaseView:
    if phase == "impact":
        from .impact import ImpactPhase

        return ImpactPhase(ascii_borders, author)
    if phase == "priority":
        from .priority import PriorityPhase

        return PriorityPhase(ascii_borders, author)
    from .columns_phase import CountermeasuresPhase, FailuresPhase, IntroPhase, RetroPhase

    kinds: dict[str, type[PhaseView]] = {"intro": IntroPhase, "failures": FailuresPhase,
                                         "countermeasures": CountermeasuresPhase, "retro": RetroPhase}
    return kinds[phase](ascii_borders, author)
