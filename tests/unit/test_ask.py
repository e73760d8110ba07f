"""Asking the documents (plume.knowledge.answer) with a scripted server: on the generated
municipal collection, the answer's citations point at the passages holding the planted fact;
an off-collection question asks nothing of the server; an answer without a citation is
flagged; figures are checked against the cited passages only; personal data in passages
leaves masked and comes back in the answer."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from plume.errors import NeedsConfirmation, UnsupportedError
from plume.i18n import t
from plume.knowledge.answer import numbered, prepare_ask
from plume.knowledge.citations import blanked, cited, describe_place, marks
from plume.knowledge.indexer import index_folders
from plume.knowledge.lexical import LexicalRetriever
from plume.knowledge.store import Store
from plume.knowledge.types import Hit, Passage, Place
from plume.runs import prepare_run, spec_for
from plume.settings import Settings
from support.fake_chat import PLACEHOLDER, FakeChat
from support.municipal import Collection, Question, generate
from support.personal_data import VALIDATED, document

pytestmark = pytest.mark.unit

SETTINGS = Settings(backend="openai", base_url="http://127.0.0.1:8080", model="m", context_window=4096, max_output_tokens=512)
OFF_COLLECTION = ["Quelle est la capitale de l'Australie ?", "Who won the 1998 football world cup?",
                  "Combien de satellites tournent autour de Jupiter ?"]  # fmt: skip
_PASSAGE_HEAD = re.compile(r"^\[(\d+)\] ", re.MULTILINE)


class ListRetriever:
    """Returns its hits whatever the question: a semantic search that always finds something."""

    def __init__(self, hits: list[Hit]) -> None:
        self.hits, self.searched = hits, 0

    def search(self, query: str, k: int = 8, *, cancel: object = None) -> list[Hit]:
        self.searched += 1
        return self.hits[:k]


class Counting(FakeChat):
    """A FakeChat that counts every request, the model list included."""

    def __init__(self, *answers: str | Callable[[list[dict[str, str]]], str]) -> None:
        super().__init__(*answers)
        self.requests = 0
        handle = self._handle

        def counted(request: httpx.Request) -> httpx.Response:
            self.requests += 1
            return handle(request)

        self.transport = httpx.MockTransport(counted)


def hit(text: str, source: str = "/srv/docs/deliberation.odt", score: float = 1.0, **place: int | str) -> Hit:
    return Hit(Passage(f"{source}#0", source, text, 0, len(text), Place(**place), title=Path(source).stem), score)  # type: ignore[arg-type]


def sent_passages(messages: list[dict[str, str]]) -> dict[int, str]:
    """{n: passage text} as the request numbers them."""
    user = messages[-1]["content"]
    heads = list(_PASSAGE_HEAD.finditer(user))
    found = {}
    for index, head in enumerate(heads):
        end = heads[index + 1].start() if index + 1 < len(heads) else user.find("\n\n", head.end())
        found[int(head.group(1))] = user[head.end() : end if end > 0 else len(user)]
    return found


@pytest.fixture(scope="module")
def municipal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Collection, LexicalRetriever]]:
    root = tmp_path_factory.mktemp("municipal")
    collection = generate(root / "files", seed=20, n_files=60)
    store = Store(root / "documents.plume-index")
    index_folders(store, [root / "files"])
    yield collection, LexicalRetriever(store)
    store.close()


def _citing_the_fact(question: Question) -> Callable[[list[dict[str, str]]], str]:
    """A model that answers with the fact's value and cites the passage holding its sentence."""

    def answer(messages: list[dict[str, str]]) -> str:
        holding = [n for n, text in sent_passages(messages).items() if question.contains in text]
        return f"{question.answer} [{holding[0]}]." if holding else "Je ne sais pas."

    return answer


def test_the_citations_point_at_the_passages_holding_the_planted_facts(
    municipal: tuple[Collection, LexicalRetriever],
) -> None:
    collection, retriever = municipal
    checked = 0
    for question in collection.questions:
        chat = FakeChat(_citing_the_fact(question))
        run = prepare_ask(SETTINGS, question.question, retriever, transport=chat.transport)
        answer = "".join(run.pieces())
        holding = [n for n, h in enumerate(run.sent, 1) if question.contains in h.passage.text]
        if not holding:  # the retriever missed it (its recall is measured apart): nothing to cite
            continue
        checked += 1
        assert answer.strip() == run.text.strip() and run.cited == [holding[0]], question
        [source] = run.sources
        assert source.number == holding[0] and source.hit.passage.source == str(question.file.resolve())
        assert question.contains in source.hit.passage.text
        assert not run.uncited and run.unknown == [] and run.unsupported == [], (question, run.unsupported)
        assert len(chat.chats) == 1 and run.notes("fr") == []
    # Retrieval's recall target is 0.9; the relevance filter must not drop the passages it found.
    assert len(collection.questions) >= 20 and checked >= 0.9 * len(collection.questions)


@pytest.mark.parametrize("question", OFF_COLLECTION)
def test_an_off_collection_question_finds_nothing_and_asks_the_server_nothing(
    question: str, municipal: tuple[Collection, LexicalRetriever]
) -> None:
    _, retriever = municipal
    everything = ListRetriever(retriever.search("école conservatoire salle association", 5))
    assert everything.hits, "the semantic stand-in must return passages, however far"
    for searched in (retriever, everything):
        chat = Counting("Canberra [1].")
        run = prepare_ask(SETTINGS, question, searched, transport=chat.transport)
        assert list(run.pieces()) == [] and run.found_nothing and run.text == "" and run.sources == []
        assert chat.requests == 0 and run.notes("fr") == [t("ask.nothing", "fr")]
        assert not run.uncited and run.unsupported is None


def test_an_answer_without_citation_is_flagged_and_checked_against_nothing() -> None:
    retriever = ListRetriever([hit("La cantine scolaire coûte 3,20 € par repas."), hit("Le gymnase ferme à 22 h.")])
    chat = FakeChat("Le repas de la cantine coûte 3,20 €.")
    run = prepare_ask(SETTINGS, "Combien coûte la cantine ?", retriever, transport=chat.transport)
    "".join(run.pieces())
    assert run.uncited and run.sources == [] and run.cited == []
    assert [f.text for f in run.unsupported or []] == ["3,20 €"]  # nothing cited supports it
    assert t("ask.uncited", "en") in run.notes("en")


def test_numbers_naming_no_passage_are_listed_and_alone_leave_the_answer_uncited() -> None:
    retriever = ListRetriever([hit("La cantine scolaire coûte 3,20 € par repas.")])
    run = prepare_ask(SETTINGS, "Combien coûte la cantine ?", retriever, transport=FakeChat("3,20 € [4][7].").transport)
    "".join(run.pieces())
    assert run.unknown == [4, 7] and run.uncited and run.sources == []
    assert t("ask.unknown", "fr", numbers="[4], [7]") in run.notes("fr")


def test_figures_are_checked_against_the_cited_passages_only() -> None:
    passages = [hit("La cantine scolaire coûte 3,20 € par repas, pour 5 jours de service.", "/a/cantine.odt"),
                hit("La piscine municipale coûte 4,50 € l'entrée, fermée 3 jours par an.", "/a/piscine.odt")]  # fmt: skip
    question = "Combien coûte la cantine ?"
    cases = [
        ("Le repas coûte 3,20 € [1].", []),
        ("Le repas coûte 4,50 € [1].", ["4,50 €"]),  # in passage 2, which the answer does not cite
        ("Le repas coûte 3,20 € [1], et 4,50 € à la piscine [2].", []),  # both cited: both support
        ("Le service dure 3 jours [1].", ["3 jours"]),  # a 3 elsewhere: not a count of days of the cited passage
        ("Le service dure 5 jours [1].", []),
    ]
    for answer, unsupported in cases:
        run = prepare_ask(SETTINGS, question, ListRetriever(passages), transport=FakeChat(answer).transport)
        "".join(run.pieces())
        assert [f.text for f in run.unsupported or []] == unsupported, answer
        assert [s.hit.passage.source for s in run.sources] == [p.passage.source for p in passages][: max(run.cited)]


@pytest.mark.parametrize("seed", range(6))
def test_personal_data_in_passages_leaves_masked_and_comes_back_in_the_answer(seed: int) -> None:
    rng = random.Random(seed)
    doc = document(rng, f"ask{seed}")
    while not {s.value for s in doc.planted if s.kind in VALIDATED}:  # a letter with identifiers in it
        doc = document(rng, f"ask{seed}")
    values = {s.value for s in doc.planted if s.kind in VALIDATED}
    paragraphs = [line for line in doc.text.splitlines() if line.strip()]
    words = " ".join(w for w in re.findall(r"[A-Za-zÀ-ÿ]{5,}", doc.text)[:3])  # a question sharing its terms
    retriever = ListRetriever([hit(p, f"/srv/courrier-{seed}.odt", paragraph=i + 1) for i, p in enumerate(paragraphs)])

    def echo(messages: list[dict[str, str]]) -> str:
        found = dict.fromkeys(PLACEHOLDER.findall(messages[-1]["content"]))
        return "Selon le courrier, " + ", ".join(found) + " [1]."

    chat = FakeChat(echo)
    settings = SETTINGS.replace(local_policy="pseudonymise")
    run = prepare_ask(settings, f"Que dit le courrier sur {words} ?", retriever, transport=chat.transport, k=20)
    answer = "".join(run.pieces())
    assert len(chat.chats) == 1 and run.door.masked > 0
    sent = chat.sent()
    digits = re.compile(r"[\s.\-/\u00a0\u202f\u2009]")
    for value in values:
        assert value not in sent and digits.sub("", value) not in digits.sub("", sent), value
    restored = [value for value in values if value in answer]
    assert restored and not PLACEHOLDER.search(answer), answer  # the values the model kept come back in clear


def test_a_warn_policy_shows_the_numbered_passages_before_anything_leaves() -> None:
    retriever = ListRetriever([hit("La cantine scolaire coûte 3,20 € par repas. Contact : jean.dupont@example.fr")])
    settings = SETTINGS.replace(local_policy="warn")
    chat = Counting("3,20 € [1].")
    run = prepare_ask(settings, "Combien coûte la cantine ?", retriever, transport=chat.transport)
    with pytest.raises(NeedsConfirmation) as raised:
        list(run.pieces())
    assert chat.requests == 0 and "[1]" in raised.value.text and "Combien coûte la cantine" in raised.value.text
    assert "jean.dupont@example.fr" not in raised.value.text and raised.value.text == run.what_is_sent()[0]
    again = prepare_ask(settings, "Combien coûte la cantine ?", retriever, transport=chat.transport,
                        confirmed=raised.value.token)  # fmt: skip
    assert "".join(again.pieces()).startswith("3,20 €") and [s.number for s in again.sources] == [1]
    assert "jean.dupont@example.fr" not in chat.sent()


def test_the_last_passages_are_left_out_when_the_window_is_small() -> None:
    long = "La cantine scolaire accueille les élèves. " * 40
    retriever = ListRetriever([hit(f"{long} Tarif {n}.", f"/d/{n}.odt") for n in range(1, 6)])
    chat = FakeChat(lambda messages: f"Voir [{max(sent_passages(messages))}].")
    settings = SETTINGS.replace(context_window=1500, max_output_tokens=256)
    run = prepare_ask(settings, "Que dit-on de la cantine scolaire ?", retriever, transport=chat.transport)
    "".join(run.pieces())
    assert 1 <= len(run.sent) < 5 and run.cited == [len(run.sent)] and run.sources[0].hit is run.sent[-1]


def test_an_empty_question_is_refused_at_once_and_the_ask_action_is_not_a_plain_run() -> None:
    with pytest.raises(UnsupportedError):
        prepare_ask(SETTINGS, "  \n ", ListRetriever([]))
    with pytest.raises(UnsupportedError, match="prepare_ask"):
        prepare_run(SETTINGS, spec_for(SETTINGS, "ask", instruction="Combien ?"), [])


def test_citation_marks_are_found_with_their_places() -> None:
    text = "Voté [1]. Ouvert [2, 3] ; fermé [4-6][2]. Pas une marque : [a], [1 2], [0x1]. Voir [2 et 7]."
    found = marks(text)
    assert [m.numbers for m in found] == [(1,), (2, 3), (4, 5, 6), (2,), (2, 7)]
    assert all(text[m.start] == "[" and text[m.end - 1] == "]" for m in found)
    assert cited(text) == [1, 2, 3, 4, 5, 6, 7]
    assert blanked(text) != text and len(blanked(text)) == len(text) and "[" not in blanked("a [1] b [2, 3]")
    assert cited("[1-9999]") == [1, 9999]  # a range too wide cites its ends, not ten thousand passages


def test_places_and_the_numbered_passages_as_sent() -> None:
    assert describe_place(Place(page=3, section="Budget > Cantine", paragraph=12), "fr") == "page 3 — Budget > Cantine — § 12"
    assert describe_place(Place(), "en") == ""
    untitled = Hit(Passage("p", "C:\\Users\\jdupont\\note.txt", "Second.", 0, 7, Place(paragraph=4)), 0.5)
    text = numbered([hit("Premier.", "/home/jdupont/Documents/Lettre.odt", page=2), untitled])
    assert text == "[1] (Lettre — page 2)\nPremier.\n\n[2] (note.txt — § 4)\nSecond."  # a file's name, never its path


@pytest.mark.parametrize(
    ("question", "passage", "kept"),
    [
        ("Quel est le tarif de la cantine ?", "Les tarifs des cantines sont votés chaque année.", True),
        ("Quel est le tarif de la cantine ?", "Quel est le rôle de la piscine ? Elle est ouverte pour tous.", False),
        ("Où est l'école Jules-Ferry ?", "Les écoles de la ville accueillent 900 élèves.", True),  # elision, accents, plural
        ("Qu'a voté le conseil en 2024 ?", "Budget primitif 2024 adopté.", True),  # a figure is a term
        ("What did the council decide?", "The councils decided nothing.", True),
        ("Quoi ? Comment ? Pourquoi ?", "Quoi de neuf ? Comment faire ? Pourquoi pas ?", False),  # no meaningful term
    ],
)
def test_a_hit_is_relevant_when_it_shares_a_meaningful_term(question: str, passage: str, kept: bool) -> None:
    from plume.knowledge.relevance import relevant

    assert relevant(question, [hit(passage, "/x/note.txt")]) == ([hit(passage, "/x/note.txt")] if kept else [])


def test_a_source_is_described_as_a_footnote_cites_it() -> None:
    from plume.knowledge.citations import describe_source

    def passage(source: str, title: str, modified: str, place: Place) -> Passage:
        return Passage("p", source, "…", 0, 1, place, title=title, modified=modified)

    cases = [
        (passage("/home/jdupont/d/delib-014.odt", "Délibération 2027-014", "2027-03-01T10:00:00", Place(page=2, section="Budget")),
         "fr", "Délibération 2027-014 (delib-014.odt), 1er mars 2027, page 2 — Budget"),
        (passage("C:\\Users\\x\\note.txt", "", "2027-12-24", Place(paragraph=3)), "en", "note.txt, 24 December 2027, ¶ 3"),
        (passage("", "", "", Place(paragraph=12)), "fr", "§ 12"),  # the open document: its place only
        (passage("/a/b.pdf", "b.pdf", "hier", Place()), "fr", "b.pdf, hier"),
    ]  # fmt: skip
    for source, lang, expected in cases:
        assert describe_source(source, lang) == expected


def test_the_answer_is_cut_where_its_footnotes_go() -> None:
    from plume.knowledge.citations import Footnoted, footnoted

    notes = {1: "A, page 1", 2: "B, § 3"}
    text = "Le repas coûte 3,40 € [1]. La piscine ferme [1][2] en août [9]. Fin"
    pieces = footnoted(text, notes)
    assert pieces == [Footnoted("Le repas coûte 3,40 €", ("A, page 1",)), Footnoted(". La piscine ferme", ("A, page 1", "B, § 3")),
                      Footnoted(" en août"), Footnoted(". Fin")]  # fmt: skip
    assert "".join(p.text for p in pieces) == "Le repas coûte 3,40 €. La piscine ferme en août. Fin"
    assert footnoted("Sans source.", notes) == [Footnoted("Sans source.")]
    retriever = ListRetriever([hit("La cantine scolaire coûte 3,20 € par repas.", "/d/tarifs.odt", page=4)])
    run = prepare_ask(SETTINGS, "Combien coûte la cantine ?", retriever, transport=FakeChat("3,20 € [1].").transport)
    "".join(run.pieces())
    assert run.footnoted("fr") == [Footnoted("3,20 €", ("tarifs (tarifs.odt), page 4",)), Footnoted(".")]


def test_what_reaches_a_recording_server_holds_no_value_of_the_passages() -> None:
    from support.recording_server import RecordingServer

    rng = random.Random(99)
    docs = [document(rng, f"rec{i}") for i in range(3)]
    values = {s.value for doc in docs for s in doc.planted if s.kind in VALIDATED}
    hits = [hit(doc.text, f"/srv/courrier-{i}.odt") for i, doc in enumerate(docs)]
    question = "Que disent les courriers sur " + " ".join(re.findall(r"[A-Za-zÀ-ÿ]{6,}", docs[0].text)[:2]) + " ?"
    with RecordingServer(window=4096) as server:
        settings = SETTINGS.replace(base_url=server.url, model="echo", local_policy="pseudonymise")
        run = prepare_ask(settings, question, ListRetriever(hits))
        answer = "".join(run.pieces())
        received = server.text_received()
    assert values and run.door.masked > 0 and run.cited, answer  # the echo starts with the request's "[1]"
    compact = re.sub(r"[\s.\-/\u00a0\u202f\u2009]", "", received)
    leaked = [v for v in values if v in received or re.sub(r"[\s.\-/\u00a0\u202f\u2009]", "", v) in compact]
    assert leaked == [] and any(v in answer for v in values) and not PLACEHOLDER.search(answer)
