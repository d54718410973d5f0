from premortem_tui import i18n
from premortem_tui.domain import model, vocabulary
from premortem_tui.ui import columns


def test_every_machine_value_has_a_word():
    assert set(vocabulary.STAGES) == set(model.STAGES) == set(vocabulary.STAGES_SHORT)
    assert set(vocabulary.DECISIONS) == set(model.DECISIONS)
    assert set(vocabulary.RETRO_KINDS) == set(model.RETRO_KINDS)
    assert set(vocabulary.ROLES) == set(vocabulary.ROLES_SHORT)


def test_board_uses_the_one_vocabulary():
    assert columns.PHASE_TITLES is vocabulary.PHASES
    assert columns.ROLE_TITLES is vocabulary.ROLES


def test_words_are_translated_when_shown_not_at_import(monkeypatch):
    monkeypatch.setitem(i18n._CATALOGUE, "Customer impact", "顧客影響")
    assert vocabulary.label(vocabulary.PHASES, "impact") == "顧客影響"
    assert vocabulary.labels(vocabulary.PHASES)["impact"] == "顧客影響"
    assert vocabulary.PHASES["impact"] == "Customer impact"
    assert vocabulary.label(vocabulary.PHASES, "unknown") == "unknown"
