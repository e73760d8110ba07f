"""An invented municipal collection for asking the documents: deliberations, arrêtés, council
minutes, procedures, letters and the reception desk's FAQ, written as ODT, DOCX, PDF, TXT,
Markdown and HTML files, with facts planted each in exactly one document and questions
about them.

:func:`generate` writes the files and returns the :class:`Collection`: its files and its
:class:`Question` list (the question, the value that answers it, the file holding the fact,
and the fact's sentence, which the passage found must contain).

Every fact is about a named thing (a school, a street, a hall, an association, a procedure,
a service) that other documents also mention in other contexts, so finding it takes both
the thing and the subject. Questions never copy the fact's sentence: they ask in other
words ("Combien coûte la salle..." for "La location de la salle ... est fixée à ..."),
several phrasings each, with the words an agent would type.

Nothing here is real. The ODT, DOCX and PDF files are written by hand (zip + XML; a
minimal PDF with one text object per page), as small and as valid as their readers need.
"""

from __future__ import annotations

import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

FORMATS = ("odt", "docx", "pdf", "txt", "md", "html")

SCHOOLS = [f"école {n}" for n in (
    "Jules-Ferry", "Marie-Curie", "Jean-Jaurès", "Louise-Michel", "Victor-Hugo", "Jean-Moulin", "Paul-Bert",
    "Condorcet", "Simone-Veil", "Jacques-Prévert", "Pierre-Loti", "Anatole-France", "George-Sand", "Camille-Claudel",
    "Émile-Zola", "Jean-de-La-Fontaine", "Olympe-de-Gouges", "Albert-Camus", "Frédéric-Mistral", "Colette",
)]  # fmt: skip
STREETS = [f"{kind} {n}" for kind, n in (
    ("rue", "des Lilas"), ("rue", "du Moulin"), ("avenue", "de la Gare"), ("rue", "Pasteur"), ("impasse", "des Tilleuls"),
    ("rue", "de l'Église"), ("boulevard", "Gambetta"), ("rue", "des Acacias"), ("chemin", "de la Source"),
    ("rue", "Voltaire"), ("place", "du Marché"), ("rue", "des Écoles"), ("allée", "des Peupliers"), ("rue", "Carnot"),
    ("quai", "de la Rivière"), ("rue", "du Château"), ("avenue", "des Sports"), ("rue", "Saint-Exupéry"),
    ("rue", "des Vignes"), ("route", "de Bellevue"),
)]  # fmt: skip
HALLS = [f"salle {n}" for n in (
    "Georges-Brassens", "des Fêtes", "Polyvalente", "Jean-Vilar", "Édith-Piaf", "du Préau", "des Associations",
    "Boris-Vian", "Gérard-Philipe", "de la Tannerie", "Molière", "des Remparts", "Marcel-Pagnol", "du Lavoir",
)]  # fmt: skip
ASSOCIATIONS = [f"association {n}" for n in (
    "Les Amis du Patrimoine", "Sport pour Tous", "La Clé des Chants", "Les Jardins Partagés", "Lire et Faire Lire",
    "Le Club de l'Amitié", "Handball Club", "Les Petits Débrouillards", "Théâtre en Herbe", "Vélo Citoyen",
    "Les Restos du Quartier", "Ciné-Club", "Échecs et Mat", "Mémoire du Village", "Les Randonneurs",
    "Judo Club", "Musique en Fête", "Entraide Seniors",
)]  # fmt: skip
PROCEDURES = [
    ("carte nationale d'identité", "CNI"), ("passeport", "passeport"), ("inscription sur les listes électorales", "inscription électorale"),
    ("permis de construire", "permis de construire"), ("déclaration préalable de travaux", "déclaration préalable"),
    ("autorisation d'occupation du domaine public", "occupation du domaine public"), ("inscription à la crèche", "crèche"),
    ("acte de naissance", "acte de naissance"), ("recensement citoyen", "recensement"), ("concession funéraire", "concession au cimetière"),
    ("inscription au centre de loisirs", "centre de loisirs"), ("carte de stationnement résident", "stationnement résident"),
]  # fmt: skip
# (with its article, after "de"): "la médiathèque", "de la médiathèque".
SERVICES = [("le service de l'état civil", "du service de l'état civil"), ("le service urbanisme", "du service urbanisme"),
            ("le centre communal d'action sociale", "du centre communal d'action sociale"),
            ("la médiathèque", "de la médiathèque"), ("le service des sports", "du service des sports"),
            ("la police municipale", "de la police municipale"), ("le service enfance", "du service enfance"),
            ("le service des eaux", "du service des eaux"), ("le conservatoire", "du conservatoire"),
            ("la piscine municipale", "de la piscine municipale")]  # fmt: skip
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"]


@dataclass(frozen=True)
class Question:
    question: str
    answer: str  # the value that answers it, as the fact writes it
    file: Path  # the one file holding the fact
    contains: str  # the fact's sentence: the passage found must contain it


@dataclass
class Collection:
    root: Path
    files: list[Path] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)


@dataclass(frozen=True)
class _Fact:
    sentence: str
    answer: str
    questions: tuple[str, ...]


class _Values:
    """Values never used twice in a collection: each fact's sentence is unique."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def unique(self, make: Callable[[], str]) -> str:
        for _ in range(1000):
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value
        raise RuntimeError("no unique value left")

    def amount(self) -> str:
        return self.unique(lambda: f"{self.rng.randrange(12, 990)} {self.rng.randrange(0, 1000, 50):03d} euros")

    def small_amount(self) -> str:
        return self.unique(lambda: f"{self.rng.randrange(60, 1500)} euros")

    def date(self) -> str:
        return self.unique(lambda: f"{self.rng.randrange(1, 29)} {self.rng.choice(MONTHS)} 2027")

    def hours(self) -> tuple[str, str]:
        value = self.unique(lambda: f"{self.rng.randrange(7, 11)}h{self.rng.choice(('00', '15', '30', '45'))}-"
                            f"{self.rng.randrange(12, 20)}h{self.rng.choice(('00', '15', '30', '45'))}")  # fmt: skip
        start, end = value.split("-")
        return start, end

    def days(self) -> str:  # not unique: the procedure's name makes the sentence so
        return f"{self.rng.choice((5, 8, 10, 15, 21, 30, 45, 60))} jours"


def _facts(rng: random.Random, values: _Values) -> list[tuple[str, Callable[[], _Fact]]]:
    """(the thing a fact is about, how to write it): one fact per thing and kind."""

    def school(name: str) -> Callable[[], _Fact]:
        def make() -> _Fact:
            value = values.amount()
            return _Fact(
                f"Une enveloppe de {value} est allouée au fonctionnement de la cantine de l'{name} pour l'année 2027.",
                value,
                (f"Quel budget est prévu pour la cantine de l'{name} ?",
                 f"Combien la commune alloue-t-elle au fonctionnement de la restauration de l'{name} ?",
                 f"Montant de l'enveloppe de la cantine de l'{name} en 2027"),
            )  # fmt: skip

        return make

    def street(name: str) -> Callable[[], _Fact]:
        def make() -> _Fact:
            value = values.date()
            return _Fact(
                f"Les travaux de réfection de la chaussée {name} débuteront le {value}.",
                value,
                (f"Quand commencent les travaux de voirie {name} ?",
                 f"À quelle date démarre le chantier de la chaussée {name} ?",
                 f"Date de début des travaux {name}"),
            )  # fmt: skip

        return make

    def hall(name: str) -> Callable[[], _Fact]:
        def make() -> _Fact:
            value = values.small_amount()
            return _Fact(
                f"Le tarif de location de la {name} est fixé à {value} la journée pour les associations communales.",
                value,
                (f"Combien coûte la {name} pour une association ?",
                 f"Quel prix une association paie-t-elle pour louer la {name} une journée ?",
                 f"Tarif journalier de la {name}"),
            )  # fmt: skip

        return make

    def association(name: str) -> Callable[[], _Fact]:
        short = name.removeprefix("association ")

        def make() -> _Fact:
            value = values.amount()
            return _Fact(
                f"Le conseil attribue une subvention de fonctionnement de {value} à l'{name}.",
                value,
                (f"Quelle subvention la commune verse-t-elle à {short} ?",
                 f"Montant de la subvention accordée à {short}",
                 f"Combien l'association {short} reçoit-elle pour son fonctionnement ?"),
            )  # fmt: skip

        return make

    def procedure(name: str, short: str) -> Callable[[], _Fact]:
        def make() -> _Fact:
            value = values.days()
            return _Fact(
                f"Pour une demande de {name}, comptez un délai de traitement de {value} après le dépôt du dossier complet.",
                value,
                (f"Combien de temps prend le traitement d'un dossier de {short} ?",
                 f"Quel est le délai de traitement pour : {short} ?",
                 f"Délai d'instruction d'une demande de {name}"),
            )  # fmt: skip

        return make

    def service(name: str, of: str) -> Callable[[], _Fact]:
        def make() -> _Fact:
            day = rng.choice(DAYS)
            start, end = values.hours()
            return _Fact(
                f"{name[0].upper()}{name[1:]} reçoit le public le {day} de {start} à {end}.",
                f"{start} à {end}",
                (f"Quels sont les horaires d'ouverture {of} le {day} ?",
                 f"À quelle heure ouvre {name} le {day} ?",
                 f"Horaires {of} le {day}"),
            )  # fmt: skip

        return make

    found: list[tuple[str, Callable[[], _Fact]]] = []
    found += [(n, school(n)) for n in SCHOOLS]
    found += [(n, street(n)) for n in STREETS]
    found += [(n, hall(n)) for n in HALLS]
    found += [(n, association(n)) for n in ASSOCIATIONS]
    found += [(n, procedure(n, s)) for n, s in PROCEDURES]
    found += [(n, service(n, of)) for n, of in SERVICES]
    rng.shuffle(found)
    return found


# Sentences without a fact, mentioning the same things in other contexts (the distractors).
_FILLER = (
    "La commission a examiné la situation de l'{school} sans prendre de décision à ce stade.",
    "Les riverains de la {street} ont été informés par courrier de la réunion publique.",
    "La {hall} accueillera la cérémonie des vœux du maire.",
    "L'{association} a présenté son rapport d'activité devant la commission de la vie associative.",
    "{Service} rappelle que les dossiers incomplets ne peuvent pas être instruits.",
    "Les élus ont débattu de l'éclairage public aux abords de l'{school}.",
    "Une réunion de concertation sur le plan de circulation de la {street} aura lieu prochainement.",
    "Le ménage de la {hall} est assuré par les services techniques après chaque manifestation.",
    "Le dossier de demande de {procedure} est disponible à l'accueil de la mairie et sur le site de la commune.",
    "La convention de mise à disposition de locaux avec l'{association} est renouvelée pour trois ans.",
    "L'accueil {service_of} sera exceptionnellement fermé pendant l'inventaire annuel.",
    "Le maire remercie les agents pour leur engagement au service des habitants.",
    "Le procès-verbal de la séance précédente est adopté à l'unanimité.",
    "Le présent acte peut faire l'objet d'un recours devant le tribunal administratif dans un délai de deux mois.",
    "Madame la directrice générale des services est chargée de l'exécution de la présente décision.",
    "Les crédits nécessaires sont inscrits au budget de l'exercice en cours.",
    "La séance est levée après l'épuisement de l'ordre du jour.",
    "Le plan local d'urbanisme a fait l'objet d'une modification simplifiée.",
    "La collecte des encombrants est organisée sur inscription auprès des services techniques.",
    "Le marché de Noël se tiendra sur la place de la mairie.",
)

_KINDS = {
    "deliberation": ("Délibération n° {number} du conseil municipal", ("Exposé des motifs", "Décision", "Exécution")),
    "arrete": ("Arrêté municipal n° {number}", ("Visas", "Dispositions", "Publication")),
    "minutes": ("Compte rendu du conseil municipal, séance n° {number}", ("Présents et excusés", "Questions diverses", "Vote")),
    "procedure": ("Fiche procédure n° {number}", ("Pièces à fournir", "Déroulement", "Contacts")),
    "letter": ("Courrier de la mairie, référence {number}", ("Objet", "Réponse", "Formule de politesse")),
    "faq": ("Questions fréquentes de l'accueil, fiche {number}", ("Démarches", "Équipements", "Vie associative")),
}


def _filler(rng: random.Random) -> str:
    procedure = rng.choice(PROCEDURES)[0]
    service, service_of = rng.choice(SERVICES)
    return rng.choice(_FILLER).format(
        school=rng.choice(SCHOOLS), street=rng.choice(STREETS), hall=rng.choice(HALLS),
        association=rng.choice(ASSOCIATIONS), Service=service[0].upper() + service[1:], service_of=service_of,
        procedure=procedure,
    )  # fmt: skip


def generate(root: Path, seed: int = 20, n_files: int = 200, *, questions_per_fact: int = 1) -> Collection:
    """Write ``n_files`` files under ``root`` (formats in turn, in sub-folders by kind) and
    return them with a question about each planted fact (``questions_per_fact`` phrasings)."""
    rng = random.Random(seed)
    values = _Values(rng)
    facts = _facts(rng, values)
    collection = Collection(root)
    kinds = list(_KINDS)
    for index in range(n_files):
        kind = kinds[index % len(kinds)]
        fmt = FORMATS[(index + index // len(kinds)) % len(FORMATS)]  # every kind in every format
        title_pattern, sections = _KINDS[kind]
        title = title_pattern.format(number=f"2027-{index + 1:03d}")
        planted: list[_Fact] = []
        if facts and rng.random() < 0.6:
            planted = [facts.pop()[1]() for _ in range(min(len(facts), rng.choice((1, 1, 2))))]
        body: list[tuple[str, list[str]]] = []
        for section in sections:
            paragraphs = [" ".join(_filler(rng) for _ in range(rng.randrange(2, 5))) for _ in range(rng.randrange(1, 4))]
            body.append((section, paragraphs))
        for fact in planted:
            section_paragraphs = body[rng.randrange(len(body))][1]
            position = rng.randrange(len(section_paragraphs) + 1)
            # The fact among filler sentences, as agents write: not a paragraph of its own.
            section_paragraphs.insert(position, f"{_filler(rng)} {fact.sentence} {_filler(rng)}")
        path = root / kind / f"{kind}-{index + 1:03d}.{fmt}"
        path.parent.mkdir(parents=True, exist_ok=True)
        _WRITERS[fmt](path, title, body)
        collection.files.append(path)
        for fact in planted:
            for phrasing in rng.sample(fact.questions, min(questions_per_fact, len(fact.questions))):
                collection.questions.append(Question(phrasing, fact.answer, path, fact.sentence))
    return collection


# --- writers ---------------------------------------------------------------------------------

Body = list[tuple[str, list[str]]]


def _write_txt(path: Path, title: str, body: Body) -> None:
    lines = [title, ""]
    for section, paragraphs in body:
        lines += [section.upper(), ""]
        for paragraph in paragraphs:
            lines += [paragraph, ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def _write_md(path: Path, title: str, body: Body) -> None:
    lines = [f"# {title}", ""]
    for section, paragraphs in body:
        lines += [f"## {section}", ""]
        for paragraph in paragraphs:
            lines += [paragraph, ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def _write_html(path: Path, title: str, body: Body) -> None:
    parts = [f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>{escape(title)}</title>"
             "<style>p { margin: 0 }</style></head><body>", f"<h1>{escape(title)}</h1>"]  # fmt: skip
    for section, paragraphs in body:
        parts.append(f"<h2>{escape(section)}</h2>")
        parts += [f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs]
    parts.append("<script>var ignored = 'texte de script';</script></body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")


_ODF_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def odt_bytes(title: str, body: Body) -> dict[str, str]:
    """The members of an ODT file (content.xml with text:h and text:p, meta.xml with its title)."""
    paragraphs = [f'<text:h text:outline-level="1">{escape(title)}</text:h>']
    for section, texts in body:
        paragraphs.append(f'<text:h text:outline-level="2">{escape(section)}</text:h>')
        paragraphs += [f"<text:p>{escape(text)}</text:p>" for text in texts]
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        f"<office:body><office:text>{''.join(paragraphs)}</office:text></office:body></office:document-content>"
    )
    meta = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-meta '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'office:version="1.3"><office:meta><dc:title>{escape(title)}</dc:title></office:meta></office:document-meta>'
    )
    return {"content.xml": content, "meta.xml": meta, "META-INF/manifest.xml": _ODF_MANIFEST}


def write_zip(path: Path, mimetype: str | None, members: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype is not None:  # ODF: first and stored, as the standard requires
            archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        for name, text in members.items():
            archive.writestr(name, text)


def _write_odt(path: Path, title: str, body: Body) -> None:
    write_zip(path, "application/vnd.oasis.opendocument.text", odt_bytes(title, body))


_DOCX_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
_DOCX_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""


def docx_members(title: str, body: Body) -> dict[str, str]:
    def paragraph(text: str, style: str = "") -> str:
        props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        # Two runs: a word processor splits text into runs anywhere; the reader must join them.
        middle = len(text) // 2
        return (f'<w:p>{props}<w:r><w:t xml:space="preserve">{escape(text[:middle])}</w:t></w:r>'
                f'<w:r><w:t xml:space="preserve">{escape(text[middle:])}</w:t></w:r></w:p>')  # fmt: skip

    paragraphs = [paragraph(title, "Titre1")]
    for section, texts in body:
        paragraphs.append(paragraph(section, "Heading2"))
        paragraphs += [paragraph(text) for text in texts]
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{''.join(paragraphs)}</w:body></w:document>"
    )
    return {"[Content_Types].xml": _DOCX_TYPES, "_rels/.rels": _DOCX_RELS, "word/document.xml": document}


def _write_docx(path: Path, title: str, body: Body) -> None:
    write_zip(path, None, docx_members(title, body))


def pdf_bytes(pages: list[list[str]], title: str = "") -> bytes:
    """A minimal PDF: one page per list of lines, Helvetica in WinAnsiEncoding (French
    accents), one text object per page, a correct cross-reference table."""

    def literal(text: str) -> bytes:
        raw = text.encode("cp1252", "replace")
        return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    objects: list[bytes] = []
    page_ids = [4 + 2 * i for i in range(len(pages))]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % p for p in page_ids) + b"] /Count %d >>" % len(pages))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i, lines in enumerate(pages):
        stream = b"BT /F1 10 Tf 12 TL 50 800 Td " + b" ".join(literal(line) + b" Tj T*" for line in lines) + b" ET"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
            % (page_ids[i] + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    info = len(objects) + 1
    objects.append(b"<< /Title " + literal(title) + b" >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, info, xref)
    return bytes(out)


def _wrap(text: str, width: int = 95) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def _write_pdf(path: Path, title: str, body: Body) -> None:
    """One section a page; paragraphs separated by an empty line (how the reader finds them)."""
    pages = []
    for number, (section, paragraphs) in enumerate(body):
        lines = ([title, ""] if number == 0 else []) + [section, ""]
        for paragraph in paragraphs:
            lines += [*_wrap(paragraph), ""]
        pages.append(lines)
    path.write_bytes(pdf_bytes(pages, title))


_WRITERS: dict[str, Callable[[Path, str, Body], None]] = {
    "txt": _write_txt, "md": _write_md, "html": _write_html, "odt": _write_odt, "docx": _write_docx, "pdf": _write_pdf,
}  # fmt: skip
