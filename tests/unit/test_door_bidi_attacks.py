"""Attack on the door: direction marks inside a value (a text copied from a web page or a
form has them: "06\u200e12 34 56 78") are invisible to a reader and to the model, and hid the
value from the shield and from the door's last check."""

from __future__ import annotations

import json

import pytest

from plume.actions import ActionSpec
from plume.egress.door import Door
from plume.errors import LeakPrevented
from plume.longdoc import Block
from plume.runs import prepare_run
from plume.settings import Settings
from support.fake_chat import FakeChat

PSEUDONYMISE = Settings(backend="openai", base_url="http://127.0.0.1:8080", model="m", local_policy="pseudonymise")
MARKS = ["\u200e", "\u200f", "\u061c", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


@pytest.mark.parametrize("mark", MARKS, ids=[f"U+{ord(m):04X}" for m in MARKS])
def test_a_direction_mark_inside_a_value_does_not_hide_it(mark: str) -> None:
    source = (f"Mme Hélène{mark} Dupont, tél. 06{mark}12 34 56 78, courriel helene.dupont{mark}@mairie.example, "
              f"IBAN FR76{mark}3000 6000 0112 3456 7890 189, demande un rendez-vous.")  # fmt: skip
    chat = FakeChat("Réponse.")
    "".join(prepare_run(PSEUDONYMISE, ActionSpec("rewrite-formal"), [Block(source)], transport=chat.transport).pieces())
    sent = chat.sent(0).replace(mark, "")
    assert not [value for value in ("Dupont", "34 56 78", "helene.dupont", "3000 6000") if value in sent]


@pytest.mark.parametrize("mark", ["\u200e", "\u2067"])
def test_the_last_check_reads_through_direction_marks(mark: str) -> None:
    door = Door(PSEUDONYMISE)
    with pytest.raises(LeakPrevented):
        door.check_body(json.dumps({"content": f"appelez le 06{mark}12 34 56 78"}).encode())
