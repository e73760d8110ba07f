from __future__ import annotations

import itertools

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn

from plume.actions import ActionSpec
from plume.backends.base import create_backend
from plume.errors import DestinationBlocked, NeedsConfirmation
from plume.pipeline import Generation
from plume.settings import Settings
from plume.shield.detect import detect
from plume.shield.policy import decide
from plume.shield.pseudonym import Pseudonymiser, StreamRestorer
from support.mock_http import Recorder, openai_chunks, sse

CARD = "497010123456789" + luhn.calc_check_digit("497010123456789")


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.value) for f in detect(text)]


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("Écrire à claire.durand@mairie-lyon.fr demain.", "EMAIL", "claire.durand@mairie-lyon.fr"),
        ("Appeler le 04 72 10 30 30 avant midi.", "TEL", "04 72 10 30 30"),
        ("Portable : 06.12.34.56.78.", "TEL", "06.12.34.56.78"),
        ("Son numéro à Londres : +44 20 7946 0958.", "TEL", "+44 20 7946 0958"),
        ("NIR 2 69 05 49 588 157 80 transmis.", "NIR", "2 69 05 49 588 157 80"),
        ("IBAN FR76 3000 6000 0112 3456 7890 189 pour le virement.", "IBAN", "FR76 3000 6000 0112 3456 7890 189"),
        ("SIRET 732 829 320 00074 de la société.", "SIRET", "732 829 320 00074"),
        ("Entreprise immatriculée RCS Lyon 732 829 320.", "SIREN", "732 829 320"),
        (
            f"Carte {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]} débitée.",
            "CARTE",
            f"{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}",
        ),
        ("Mme Claire Durand, née le 3 avril 1980 à Lyon.", "NAISSANCE", "3 avril 1980"),
        ("Date de naissance : 03/04/1980.", "NAISSANCE", "03/04/1980"),
        ("Domicile : 12 rue des Lilas, 69003 Lyon.", "ADRESSE", "12 rue des Lilas, 69003 Lyon"),
        ("Reçu Monsieur Jean-Pierre Martin ce matin.", "NOM", "Jean-Pierre Martin"),
        ("Signé : Jean DUPONT", "NOM", "Jean DUPONT"),
    ],
)
def test_personal_data_is_found(text: str, kind: str, value: str) -> None:
    assert (kind, value) in _kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "NIR 2 69 05 49 588 157 81 (clé fausse).",
        "IBAN FR76 3000 6000 0112 3456 7890 188 (clé fausse).",
        f"Carte {CARD[:-1]}{(int(CARD[-1]) + 1) % 10} refusée.",
        "Numéro 732 829 320 sans étiquette.",
    ],
)
def test_numbers_with_a_wrong_checksum_or_no_label_are_not_flagged(text: str) -> None:
    assert detect(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Le conseil vote un budget de 1 240 000 € et 240 000 euros de subventions.",
        "Montant total : 123 456 789 €.",
        "Délibération n° 2026-114 du 12/03/2026, article L. 2122-22 du code.",
        "Décret n° 2026-114 du 3 avril 2026, en vigueur en mai 2026.",
        "Le code postal 69003 et le taux de 41,52 % sont inchangés.",
        "Séance du 12 mars 2026 à 18 h 30, salle 204.",
        "Madame, Monsieur, veuillez agréer nos salutations.",
        "Le Conseil MUNICIPAL a voté. Article PREMIER.",
    ],
)
def test_ordinary_administrative_numbers_are_not_flagged(text: str) -> None:
    assert detect(text) == []


def test_phonenumbers_is_only_asked_about_foreign_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    # The French plan (mainland, overseas, +33) is read by the shield's own matcher: fast, and
    # a number in a range not allocated today is personal all the same.
    import phonenumbers

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("phonenumbers asked about a French number")

    monkeypatch.setattr(phonenumbers, "parse", refuse)
    text = "Tél. 07 00 12 34 56, 0690 12 34 56, +33 (0)4 72 10 30 30, +262 692 12 34 56, +689 40 12 34 56."
    assert [f.kind for f in detect(text)] == ["TEL"] * 5


def test_findings_do_not_overlap_and_come_in_text_order() -> None:
    text = (
        "Mme Claire Durand, née le 3 avril 1980, tél. 06 12 34 56 78, IBAN FR76 3000 6000 0112 3456 7890 189, 12 rue des Lilas."
    )
    found = detect(text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    assert all(f.value == text[f.start : f.end] for f in found)


def test_the_same_value_always_gets_the_same_placeholder() -> None:
    text = "Mme Claire Durand (06 12 34 56 78). Rappeler Mme Claire Durand au 06 12 34 56 78 ou au 04 72 10 30 30."
    pseudonymiser = Pseudonymiser()
    protected = pseudonymiser.protect(text, detect(text))
    assert protected == "Mme [NOM_1] ([TEL_1]). Rappeler Mme [NOM_1] au [TEL_1] ou au [TEL_2]."
    assert pseudonymiser.restore(protected) == text


def test_altered_spacing_is_restored_and_dropped_values_are_reported() -> None:
    text = "Contact : claire.durand@example.fr, 06 12 34 56 78."
    pseudonymiser = Pseudonymiser()
    pseudonymiser.protect(text, detect(text))
    answer = "Écrire à [ EMAIL 1 ]."
    assert pseudonymiser.restore(answer) == "Écrire à claire.durand@example.fr."
    assert pseudonymiser.missing(answer) == ["06 12 34 56 78"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=80), max_size=10))
def test_placeholders_split_across_pieces_are_restored_exactly(cuts: list[int]) -> None:
    text = "Mme Claire Durand, tél. 06 12 34 56 78, écrit à claire.durand@example.fr."
    pseudonymiser = Pseudonymiser()
    answer = pseudonymiser.protect(text, detect(text)) + " [TEL_1] [NOM_9]"
    restorer = StreamRestorer(pseudonymiser)
    bounds = sorted({c % (len(answer) + 1) for c in cuts} | {0, len(answer)})
    streamed = "".join(restorer.feed(answer[a:b]) for a, b in itertools.pairwise(bounds)) + restorer.finish()
    assert streamed == pseudonymiser.restore(answer)
    assert streamed.startswith(text)


# --- policy ---------------------------------------------------------------------

LOCAL = Settings(backend="openai", base_url="http://127.0.0.1:8080", model="m")
ALBERT = Settings(
    backend="openai", base_url="https://albert.api.etalab.gouv.fr", model="m", approved_hosts="albert.api.etalab.gouv.fr"
)


@pytest.mark.parametrize(
    ("settings_", "action"),
    [
        (LOCAL, "send"),
        (LOCAL.replace(local_policy="block"), "block"),
        (ALBERT, "pseudonymise"),
        (ALBERT.replace(operator_policy="warn"), "warn"),
        (ALBERT.replace(approved_hosts=""), "block"),
        (Settings(base_url="https://api.openai.com", approved_hosts="albert.api.etalab.gouv.fr"), "block"),
    ],
)
def test_policy_per_destination(settings_: Settings, action: str) -> None:
    assert decide(settings_).action == action


def test_no_backend_exists_for_a_blocked_destination() -> None:
    recorder = Recorder(lambda r: httpx.Response(200, json={"data": []}))
    with pytest.raises(DestinationBlocked):
        create_backend(ALBERT.replace(approved_hosts=""), "", recorder.transport)
    assert recorder.requests == []


LETTER = "Mme Claire Durand (claire.durand@example.fr, 06 12 34 56 78) demande un rendez-vous."


def test_personal_data_never_reaches_an_operator_and_the_answer_is_restored() -> None:
    recorder = Recorder(lambda r: sse(openai_chunks("Répondre à [NOM", "_1] par courriel : [EMAIL_1].")))
    backend = create_backend(ALBERT, "", recorder.transport)
    generation = Generation(backend, ALBERT, ActionSpec("rewrite", style="formal"), LETTER, model="m")
    assert generation.run() == "Répondre à Claire Durand par courriel : claire.durand@example.fr."
    sent = str(recorder.bodies[0])
    assert "Durand" not in sent and "example.fr" not in sent and "06 12" not in sent
    assert generation.stats.pseudonymised == 3 and generation.stats.missing == ["06 12 34 56 78"]


def test_under_warn_nothing_is_sent_before_confirmation() -> None:
    recorder = Recorder(lambda r: sse(openai_chunks("ok")))
    warned = ALBERT.replace(operator_policy="warn")
    backend = create_backend(warned, "", recorder.transport)
    with pytest.raises(NeedsConfirmation) as raised:
        Generation(backend, warned, ActionSpec("summarize"), LETTER, model="m")
    assert "[EMAIL_1]" in raised.value.text and raised.value.replaced == 3
    assert recorder.requests == []
    Generation(backend, warned, ActionSpec("summarize"), LETTER, model="m", confirmed=True).run()
    assert len(recorder.requests) == 1


def test_a_local_model_gets_the_text_as_is_by_default() -> None:
    recorder = Recorder(lambda r: sse(openai_chunks("ok")))
    Generation(create_backend(LOCAL, "", recorder.transport), LOCAL, ActionSpec("summarize"), LETTER, model="m").run()
    assert "claire.durand@example.fr" in str(recorder.bodies[0])
