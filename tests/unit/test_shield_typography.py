"""Identifiers as French agents really type them: no-break, narrow no-break and thin spaces,
dots, dashes, slashes, random grouping, country codes. Property tests run the shield on
generated administrative texts (tests/support/personal_data.py): every planted identifier
is found with its exact text, and no decoy (amount, date, deliberation or article number,
postcode, percentage, identifier with a wrong key) is flagged."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn

from plume.shield.detect import DETECTORS, KINDS, detect
from support.personal_data import NBSP, NNBSP, THIN, document, iban_check, nir_key, rib_key

SEPARATORS = [" ", NBSP, NNBSP, THIN, ".", "-", "/", ""]
CARD = "497010123456789" + luhn.calc_check_digit("497010123456789")
SIRET = "73282932000074"
NIR = "2690549588157" + nir_key("2690549588157")


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.value) for f in detect(text)]


def _group(digits: str, sizes: list[int], sep: str) -> str:
    out, i = [], 0
    for size in sizes:
        out.append(digits[i : i + size])
        i += size
    return sep.join(out)


@pytest.mark.parametrize("sep", SEPARATORS)
@pytest.mark.parametrize(
    ("kind", "digits", "sizes", "before"),
    [
        ("TEL", "0612345678", [2, 2, 2, 2, 2], "Portable : "),
        ("TEL", "0472103030", [4, 3, 3], "Tél. "),
        ("NIR", NIR, [1, 2, 2, 2, 3, 3, 2], "N° de sécurité sociale : "),
        ("NIR", NIR[:13], [1, 2, 2, 2, 3, 3], "NIR "),
        ("SIRET", SIRET, [3, 3, 3, 5], "SIRET "),
        ("SIREN", SIRET[:9], [3, 3, 3], "SIREN "),
        ("CARTE", CARD, [4, 4, 4, 4], "Carte n° "),
        ("FISCAL", "1234567890123", [2, 2, 3, 3, 3], "Numéro fiscal : "),
        ("CNI", "880692310285", [4, 4, 4], "Carte nationale d'identité n° "),
    ],
)
def test_identifiers_are_found_whatever_the_separator(kind: str, digits: str, sizes: list[int], before: str, sep: str) -> None:
    value = _group(digits, sizes, sep)
    assert (kind, value) in _found(f"{before}{value}, transmis le 3 mars."), value


@pytest.mark.parametrize("sep", [" ", NBSP, NNBSP, THIN, "-", ""])
def test_ibans_and_ribs_are_found_whatever_the_separator(sep: str) -> None:
    bank, branch, account = "30006", "00001", "12345678901"
    bban = bank + branch + account + rib_key(bank, branch, account)
    compact = "FR" + iban_check("FR", bban) + bban
    value = sep.join(compact[i : i + 4] for i in range(0, len(compact), 4))
    assert ("IBAN", value) in _found(f"IBAN {value} pour le virement.")
    rib = sep.join([bank, branch, account, rib_key(bank, branch, account)])
    if sep:
        assert ("RIB", rib) in _found(f"RIB : {rib}.")


def test_a_rib_with_letters_in_its_account_is_found_near_its_label() -> None:
    rib = " ".join(["30004", "00123", "0123456A020", rib_key("30004", "00123", "0123456A020")])
    assert ("RIB", rib) in _found(f"Relevé d'identité bancaire (RIB) : {rib}.")
    wrong = rib[:-2] + f"{(int(rib[-2:]) % 97) + 1:02d}"
    assert not [k for k, _ in _found(f"RIB : {wrong}.") if k == "RIB"]


@pytest.mark.parametrize(
    "value",
    [
        "06 12 34 56 78",
        "07 00 12 34 56",  # not allocated today: personal all the same
        "04 00 12 34 56",
        "0690 00 12 34",
        "0639 99 12 34",
        "0262 99 12 34",
        "0590 12 34 56",
        "06\u202f12\u202f34\u202f56\u202f78",
        "06-12-34-56-78",
        "06/12/34/56/78",
        "0612345678",
        "06 123 456 78",
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "+33(0)612345678",
        "0033 6 12 34 56 78",
        "+33 06 12 34 56 78",
        "+262 692 12 34 56",
        "+590 690 12 34 56",
        "+594 694 12 34 56",
        "+596 696 12 34 56",
        "+269 321 23 45",
        "+508 41 23 45",
        "+681 72 12 34",
        "+687 12 34 56",
        "+689 40 12 34 56",
        "+44 20 7946 0958",
        "+1 (212) 555-0123",
        "0049 30 1234567",
    ],
)
def test_phone_numbers_in_every_form(value: str) -> None:
    assert ("TEL", value) in _found(f"Joignable au {value}, merci."), value


def test_two_phone_numbers_in_a_row_and_a_number_after_one() -> None:
    assert _found("Tél. : 04 72 10 30 30 / 06 12 34 56 78.") == [("TEL", "04 72 10 30 30"), ("TEL", "06 12 34 56 78")]
    assert ("TEL", "06 12 34 56 78") in _found("Tél 06 12 34 56 78 12 rue des Lilas")


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("NIR 2-69-05-49-588-157-80 transmis.", "NIR", "2-69-05-49-588-157-80"),
        ("NIR sans clé : 1 84 12 75 123 456.", "NIR", "1 84 12 75 123 456"),
        ("Numéro 1841275123456 relevé.", "NIR", "1841275123456"),  # without its key nor label
        ("NIR 2 69 05 2A 588 157 transmis.", "NIR", "2 69 05 2A 588 157"),
        ("IBAN FR76-3000-6000-0112-3456-7890-189 pour le virement.", "IBAN", "FR76-3000-6000-0112-3456-7890-189"),
        ("Véhicule AB-123-CD mal garé.", "PLAQUE", "AB-123-CD"),
        ("Véhicule AB 123 CD mal garé.", "PLAQUE", "AB 123 CD"),
        ("Véhicule AB\u00a0123\u00a0CD mal garé.", "PLAQUE", "AB\u00a0123\u00a0CD"),
        ("Ancienne plaque 1234 AB 56 relevée.", "PLAQUE", "1234 AB 56"),
        ("Passeport n° 12AB34567 expiré.", "PASSEPORT", "12AB34567"),
        ("Titre de séjour n° 6912345678, valable un an.", "SEJOUR", "6912345678"),
        ("Carte de séjour : 75 12 345 678.", "SEJOUR", "75 12 345 678"),
        ("Adresse : 3, allée des Érables – 69100 Villeurbanne.", "ADRESSE", "3, allée des Érables – 69100 Villeurbanne"),
        ("CNI n° 880692310285 perdue.", "CNI", "880692310285"),
        ("Carte d'identité : X4RTBPFW4.", "CNI", "X4RTBPFW4"),
        ("Permis de conduire n° 123456789012.", "PERMIS", "123456789012"),
        ("Numéro fiscal : 1 23 45 678 901 23.", "FISCAL", "1 23 45 678 901 23"),
        ("SPI 0123456789012.", "FISCAL", "0123456789012"),
        ("N° fiscal 3012345678901.", "FISCAL", "3012345678901"),
        ("N° allocataire 1234567.", "CAF", "1234567"),
        ("Allocataire CAF n° 7654321, dossier complet.", "CAF", "7654321"),
        ("né le 3 avril 1980", "NAISSANCE", "3 avril 1980"),
        ("Né à Lyon le 3 mars 1950.", "NAISSANCE", "3 mars 1950"),
        ("née le 1er avril, à Grenoble", "NAISSANCE", "1er avril"),
        ("DN : 03.04.1980", "NAISSANCE", "03.04.1980"),
        ("Date de naissance : 1980-04-03.", "NAISSANCE", "1980-04-03"),
        ("née en 1942 à Lille", "NAISSANCE", "1942"),
        ("né(e) le 3/4/80", "NAISSANCE", "3/4/80"),
        ("Né(e) le : 03/04/1980", "NAISSANCE", "03/04/1980"),
        ("Date de naissance (JJ/MM/AAAA) : 03/04/1980", "NAISSANCE", "03/04/1980"),
        ("né en avril 1980 à Lyon", "NAISSANCE", "avril 1980"),
        ("DDN : 3/4/1980", "NAISSANCE", "3/4/1980"),
        ("IBAN FR 76 3000 6000 0112 3456 7890 189.", "IBAN", "FR 76 3000 6000 0112 3456 7890 189"),
        ("Écrire à jean.dupont @ mairie.fr demain.", "EMAIL", "jean.dupont @ mairie.fr"),
        ("Tél. 0.1.2009.4930.", "TEL", "0.1.2009.4930"),
        ("Code banque 30006 Code guichet 00001 N° compte 12345678901 Clé 89.", "RIB", "12345678901"),
        ("Votre compte sera débité. Contact : 0033 6 12 34 56 78.", "TEL", "0033 6 12 34 56 78"),
        ("Adresse : 3 Grande Rue, 25000 Besançon.", "ADRESSE", "3 Grande Rue, 25000 Besançon"),
        ("Écrire au 12 Grand-Rue.", "ADRESSE", "12 Grand-Rue"),
        ("Écrire BP 123, 69001 Lyon Cedex.", "ADRESSE", "BP 123, 69001 Lyon Cedex"),
        ("Domicile : lieu-dit Les Granges, 38490 Les Abrets.", "ADRESSE", "lieu-dit Les Granges, 38490 Les Abrets"),
        ("Habite hameau de la Combe, depuis 2010.", "ADRESSE", "hameau de la Combe"),
        ("Résidence Les Tilleuls, bâtiment B, escalier 2.", "ADRESSE", "Résidence Les Tilleuls, bâtiment B, escalier 2"),
        ("Domiciliée La Croix-Rousse, 69004 Lyon.", "ADRESSE", "La Croix-Rousse, 69004 Lyon"),
        ("Écrire chez M. Durand, 4 impasse des Lilas, 69003 Lyon.", "ADRESSE", "M. Durand, 4 impasse des Lilas, 69003 Lyon"),
        ("Courriel : élodie.lefèvre@mairie-évry.fr.", "EMAIL", "élodie.lefèvre@mairie-évry.fr"),
        ("Écrire à jean.dupont (at) mairie.fr demain.", "EMAIL", "jean.dupont (at) mairie.fr"),
        ("Écrire à jean.dupont[at]mairie.fr demain.", "EMAIL", "jean.dupont[at]mairie.fr"),
        ("Écrire à jean arobase mairie point fr demain.", "EMAIL", "jean arobase mairie point fr"),
        ("Écrire à jean.dupont [at] mairie [dot] fr demain.", "EMAIL", "jean.dupont [at] mairie [dot] fr"),
    ],
)
def test_more_identifiers(text: str, kind: str, value: str) -> None:
    assert (kind, value) in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Budget de 1\u202f240\u202f000\u00a0€ et 12\u00a0500,00 EUR ; 1.240.000 € HT.",
        "Séance du 01.02.2026 10:30, délibération n° 2026-114, DEL-2026-07.",
        "Séance du 01.02.2026. 10 personnes présentes ; du 01/02/2026 - 06/03/2026.",
        "Rendez-vous @ 10h ; suivez @mairie ; né en France en 2026 ? non : arrivé.",
        "Taxe de séjour : 1 240 000 € ; un séjour au ski pour 12 enfants.",
        "Vu les articles L. 2122-22 et R. 2122-8, article 12 du décret n° 2026-1140.",
        "Code postal 69003 ; taux 41,52\u00a0% ; budget 2026-2027.",
        "Le numéro 732 829 320 cité en séance.",
        "Référence GB21 BARC 0054 5556 2631 99 (clé fausse).",
        "Permis de construire n° PC 069 387 24 00012.",
        "Une subvention de la CAF, délibération n° 2026-114.",
        "Référence interne 2026-RG-07.",
        "Les 3 cités de la commune ; la résidence principale ; le bâtiment communal.",
        "On mange chez nous. Née Dupont, elle est arrivée en 2010.",
        "Le relevé d'identité bancaire et le n° 880692310285 en séance.",
    ],
)
def test_decoys_are_not_flagged(text: str) -> None:
    assert [f for f in detect(text) if f.kind != "NOM"] == []


@pytest.mark.parametrize(
    "text",
    [
        "06 12 34 56 78 " * 20_000,  # one digit run of 300 000 characters
        "FR76 " + "ABCD " * 20_000,  # an IBAN that never ends
        "+44 " + "1 " * 50_000,
        "@" * 100_000,
        "12 rue " + "De La " * 20_000,
        "née " * 50_000,
    ],
)
@pytest.mark.timeout(60)  # a quadratic scan of these takes minutes: a hang, not a slow test
def test_long_strange_inputs_are_scanned_without_hanging(text: str) -> None:
    # The identifier detectors (the names have their own tests).
    lower = text.lower()
    found = [f for detector in DETECTORS if "name" not in detector.__name__ for f in detector(text, lower)]
    if text.startswith("06"):
        assert len(found) == 20_000


def test_a_number_across_the_end_of_a_labels_window_is_read_whole() -> None:
    # 'compte' looks 80 characters ahead for an 11-digit account number: the tax number that
    # starts 69 characters after it must not be cut into one.
    text = "compte " + "a" * 55 + " n° fiscal : 1616576528226."
    assert text.index("1616") == 75
    assert _found(text) == [("FISCAL", "1616576528226")]


def test_a_text_whose_lower_case_is_longer_keeps_its_offsets() -> None:
    text = "İİİ Tél. 06 12 34 56 78, née le 3 avril 1980, passeport 12AB34567."  # "İ".lower() has 2 characters
    assert _found(text) == [("TEL", "06 12 34 56 78"), ("NAISSANCE", "3 avril 1980"), ("PASSEPORT", "12AB34567")]


def test_kinds_have_no_underscore() -> None:
    # Placeholders are "[KIND_1]": the streaming restorer reads the kind up to the underscore.
    assert all(kind.isalpha() and kind.isupper() for kind in KINDS)


# --- generated documents ------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_every_planted_identifier_is_found_with_its_exact_text(seed: int) -> None:
    doc = document(random.Random(seed))
    found = detect(doc.text)
    assert all(f.value == doc.text[f.start : f.end] for f in found)
    exact = {(f.kind, f.start, f.end) for f in found}
    for span in doc.planted:
        if span.kind == "NOM":
            continue  # names: tests/unit/test_shield_names.py
        if span.kind == "ADRESSE":  # best effort: its edges may differ by a word
            assert any(f.kind == "ADRESSE" and f.start < span.end and span.start < f.end for f in found), (span, doc.text)
        else:
            assert (span.kind, span.start, span.end) in exact, (span, [f for f in found if f.start < span.end], doc.text)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_no_decoy_is_flagged(seed: int) -> None:
    doc = document(random.Random(seed))
    found = detect(doc.text)
    for decoy in doc.decoys:
        assert not [f for f in found if f.start < decoy.end and decoy.start < f.end], (decoy, doc.text)
