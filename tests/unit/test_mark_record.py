"""The AI mark's record and comment list the fact check's findings; records written before
the field existed still read."""

from __future__ import annotations

import json

import pytest

from plume.marking import Mark

pytestmark = pytest.mark.unit


def test_the_comment_lists_the_elements_to_check_in_the_ui_language() -> None:
    mark = Mark.now("Résumer", "smollm2", "local", 120, (("amount", "1 250 000 €"), ("name", "Pierre Martin")))
    french, english = mark.comment("fr").split("\n"), mark.comment("en").split("\n")
    assert len(french) == 2 and "« 1 250 000 € » (montant) ; « Pierre Martin » (nom)" in french[1] and "(2)" in french[1]
    assert len(english) == 2 and "“1 250 000 €” (amount); “Pierre Martin” (name)" in english[1]
    assert "\n" not in Mark.now("Résumer", "smollm2", "local", 120).comment("fr"), "nothing to check: no second line"


def test_the_record_round_trips_and_old_records_still_read() -> None:
    mark = Mark.now("Résumer", "smollm2", "local", 120, (("date", "9 juillet 2026"),))
    assert Mark.from_json(mark.to_json()) == mark
    old = json.dumps({"action": "Résumer", "model": "m", "destination": "local", "date": "2026-01-01T00:00:00+00:00", "chars": 3})
    assert Mark.from_json(old).to_check == ()
