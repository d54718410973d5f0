"""Validation with messages a facilitator can act on."""

import pytest

from premortem_tui.domain import validate
from premortem_tui.domain.validate import ValidationError


# --- scores -------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (1, 1), (3, 3), (5, 5),
    ("1", 1), ("5", 5), (" 4 ", 4),
    (None, None), ("", None),
])
def test_score_accepts_1_to_5_digit_strings_and_unset(value, expected):
    result = validate.score("impact", value)
    assert result == expected
    assert result is None or type(result) is int


@pytest.mark.parametrize("value", [0, 6, -1, True, False, 2.5, "x", "0", "6", "2.5", "-1", "²", [3], object()])
def test_score_refuses_anything_else_naming_the_field(value):
    with pytest.raises(ValidationError) as error:
        validate.score("likelihood", value)
    assert "likelihood" in str(error.value)
    assert "1" in str(error.value) and "5" in str(error.value)


def test_score_message_names_whichever_field_it_is_given():
    with pytest.raises(ValidationError, match=r"^failures\[2\]\.impact "):
        validate.score("failures[2].impact", 9)


def test_validation_error_is_a_value_error():
    assert issubclass(ValidationError, ValueError)


# --- text ---------------------------------------------------------------------

def test_text_is_trimmed():
    assert validate.text("service", "  Billing  ") == "Billing"
    assert validate.text("service", None) == ""
    assert validate.text("period", "") == ""


@pytest.mark.parametrize("value", ["", "   ", "\n\t", None])
def test_required_text_must_not_be_empty(value):
    with pytest.raises(ValidationError, match="failure must not be empty"):
        validate.text("failure", value, required=True)


def test_text_refuses_what_is_not_text():
    with pytest.raises(ValidationError, match="owner"):
        validate.text("owner", 42)


def test_text_length_limit_counts_after_trimming():
    limit = validate.MAX_SHORT
    assert validate.text("owner", "a" * limit) == "a" * limit
    assert validate.text("owner", "  " + "a" * limit + "  ") == "a" * limit
    with pytest.raises(ValidationError) as error:
        validate.text("owner", "a" * (limit + 1))
    message = str(error.value)
    assert message.startswith("owner ")
    assert "too long" in message
    assert str(limit + 1) in message and str(limit) in message


def test_text_length_limit_can_be_raised_for_long_fields():
    long = "b" * (validate.MAX_SHORT + 1)
    assert validate.text("notes", long, max_len=validate.MAX_LONG) == long
    with pytest.raises(ValidationError, match=f"at most {validate.MAX_LONG}"):
        validate.text("notes", "b" * (validate.MAX_LONG + 1), max_len=validate.MAX_LONG)


# --- dates --------------------------------------------------------------------

def test_iso_date_accepts_a_real_date_and_unset():
    assert validate.iso_date("remind on", "2026-02-28") == "2026-02-28"
    assert validate.iso_date("remind on", " 2028-02-29 ") == "2028-02-29"
    assert validate.iso_date("remind on", None) is None
    assert validate.iso_date("remind on", "") is None


@pytest.mark.parametrize("value", ["2026-02-30", "2026-02-29", "2026-13-01", "tomorrow",
                                   "2026-2-28", "28/02/2026", "20260228", 20260228])
def test_iso_date_refuses_what_is_not_a_real_date(value):
    with pytest.raises(ValidationError) as error:
        validate.iso_date("remind on", value)
    assert "remind on" in str(error.value)


# --- ids and choices -----------------------------------------------------------

@pytest.mark.parametrize("value", ["a", "x" * 64, "f-1", "3f2b0c9e-1d2a-4c7e-9a51-0d3c1b2a4e5f"])
def test_card_id_accepts_1_to_64_characters(value):
    assert validate.card_id(value) == value


@pytest.mark.parametrize("value", ["", "x" * 65, None, 7])
def test_card_id_refuses_anything_else(value):
    with pytest.raises(ValidationError, match="id"):
        validate.card_id(value)


def test_choices_accept_known_values_and_name_the_field_otherwise():
    assert validate.stage("detect") == "detect"
    assert validate.decision("wont") == "wont"
    assert validate.role("pm") == "pm"
    assert validate.retro_kind("try") == "try"
    assert validate.phase_key("impact") == "impact"
    with pytest.raises(ValidationError, match="^stage must be one of prevent, detect"):
        validate.stage("mitigate")
    with pytest.raises(ValidationError, match="^decision "):
        validate.decision("Now")
