"""Extraction: every format gives paragraphs with their places; hostile files give one
clear error each, bounded in time and memory, and never stop an indexing run."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from plume.errors import UnreadableFile
from plume.i18n import describe_error
from plume.knowledge import extract as extract_module
from plume.knowledge.extract import extract
from plume.knowledge.indexer import index_folders
from plume.knowledge.passages import passages
from plume.knowledge.store import Store
from support.municipal import docx_members, odt_bytes, pdf_bytes, write_zip

BODY = [("Restauration scolaire", ["La cantine de l'école reçoit 48 500 euros.", "Les tarifs sont inchangés."]),
        ("Voirie", ["La réfection de la rue Pasteur commence en mars."])]  # fmt: skip


def _sections(path: Path) -> dict[str, str]:
    """Each body paragraph's section, through the passages built from the file."""
    extracted = extract(path)
    found = passages(extracted.paragraphs, str(path), budget=60)
    return {line: p.place.section for p in found for line in p.text.split("\n")}


def test_odt_headings_make_sections_and_the_title_comes_from_its_metadata(tmp_path: Path) -> None:
    path = tmp_path / "d.odt"
    write_zip(path, "application/vnd.oasis.opendocument.text", odt_bytes("Délibération 12", BODY))
    assert extract(path).title == "Délibération 12"
    sections = _sections(path)
    assert sections["La cantine de l'école reçoit 48 500 euros."] == "Délibération 12 > Restauration scolaire"
    assert sections["La réfection de la rue Pasteur commence en mars."] == "Délibération 12 > Voirie"


def test_docx_runs_are_joined_and_heading_styles_make_sections(tmp_path: Path) -> None:
    path = tmp_path / "d.docx"
    write_zip(path, None, docx_members("Arrêté 7", BODY))
    sections = _sections(path)
    assert sections["Les tarifs sont inchangés."] == "Arrêté 7 > Restauration scolaire"


def test_pdf_pages_are_places_and_accents_survive(tmp_path: Path) -> None:
    path = tmp_path / "d.pdf"
    path.write_bytes(
        pdf_bytes([["Première page : la cantine coûte 3 euros."], ["Deuxième page : la piscine ouvre à 9h."]], "Tarifs")
    )
    extracted = extract(path)
    assert extracted.title == "Tarifs"
    assert [(p.text, p.page) for p in extracted.paragraphs] == [
        ("Première page : la cantine coûte 3 euros.", 1),
        ("Deuxième page : la piscine ouvre à 9h.", 2),
    ]


def test_odp_slides_and_ods_sheets_are_pages(tmp_path: Path) -> None:
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"')  # fmt: skip
    slides = "".join(
        f"<draw:page><draw:frame><draw:text-box><text:p>Diapositive {n}</text:p></draw:text-box></draw:frame></draw:page>"
        for n in (1, 2)
    )
    sheets = "".join(
        f"<table:table><table:table-row><table:table-cell><text:p>Feuille {n}</text:p></table:table-cell></table:table-row></table:table>"
        for n in (1, 2)
    )
    for suffix, inner in (("odp", slides), ("ods", sheets)):
        path = tmp_path / f"d.{suffix}"
        content = (
            f'<?xml version="1.0"?><office:document-content {ns}><office:body>{inner}</office:body></office:document-content>'
        )
        write_zip(path, f"application/vnd.oasis.opendocument.{suffix}", {"content.xml": content})
        assert [p.page for p in extract(path).paragraphs] == [1, 2]


def test_markdown_html_and_text(tmp_path: Path) -> None:
    md = tmp_path / "d.md"
    md.write_text("---\nauteur: x\n---\n# Guide\n\nIntro.\n\n## Étapes\n\n- Déposer le dossier\n- Attendre\n", encoding="utf-8")
    assert [(p.text, p.level) for p in extract(md).paragraphs] == [
        ("Guide", 1), ("Intro.", 0), ("Étapes", 2), ("Déposer le dossier", 0), ("Attendre", 0)
    ]  # fmt: skip
    html = tmp_path / "d.html"
    html.write_text("<html><head><title>FAQ</title><style>p{}</style></head><body><h2>Accueil</h2><p>Ouvert &eacute;t&eacute; "
                    "comme hiver.</p><script>alert('x')</script><ul><li>Un</li><li>Deux</li></ul></body></html>", encoding="utf-8")  # fmt: skip
    extracted = extract(html)
    assert extracted.title == "FAQ"
    assert [(p.text, p.level) for p in extracted.paragraphs] == [
        ("Accueil", 2),
        ("Ouvert été comme hiver.", 0),
        ("Un", 0),
        ("Deux", 0),
    ]
    txt = tmp_path / "d.txt"
    txt.write_bytes("Première ligne\nsuite.\n\nDeuxième paragraphe en cp1252 : é".encode("cp1252"))
    assert [p.text for p in extract(txt).paragraphs] == ["Première ligne suite.", "Deuxième paragraphe en cp1252 : é"]


def test_offsets_point_into_the_joined_text(tmp_path: Path) -> None:
    path = tmp_path / "d.odt"
    long_paragraph = " ".join(f"Phrase numéro {n} du paragraphe très long." for n in range(80))
    write_zip(path, "application/vnd.oasis.opendocument.text", odt_bytes("Titre", [("Section", [long_paragraph, "Court."])]))
    extracted = extract(path)
    text = "\n".join(p.text for p in extracted.paragraphs)
    found = passages(extracted.paragraphs, "f", budget=300)
    assert len(found) > 5
    for passage in found:
        assert text[passage.start : passage.end] == passage.text and len(passage.text) <= 300


def _bomb_member(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content.xml", b"<a>" + b" " * size + b"</a>")
    return buffer.getvalue()


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>'
          '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">&lol2;</office:document-content>')  # fmt: skip
EXTERNAL = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&e;</w:document>')  # fmt: skip


def _hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[Path, str]]:
    """name -> (file, the reason it must be refused with)."""
    monkeypatch.setattr(extract_module, "MAX_XML_BYTES", 1024 * 1024)
    monkeypatch.setattr(extract_module, "MAX_FILE_BYTES", 4 * 1024 * 1024)
    files: dict[str, tuple[Path, str]] = {}

    def add(name: str, data: bytes, reason: str) -> None:
        path = tmp_path / name
        path.write_bytes(data)
        files[name] = (path, reason)

    add("bomb.odt", _bomb_member(8 * 1024 * 1024), "damaged")  # 8 MB of XML from a few KB
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", LAUGHS)
    add("laughs.odt", buffer.getvalue(), "damaged")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", EXTERNAL)
    add("external.docx", buffer.getvalue(), "damaged")
    add("not-a-zip.docx", b"PK\x03\x04 not really a zip", "damaged")
    add("no-content.odt", _zip_without_content(), "damaged")
    add("truncated.pdf", pdf_bytes([["Bonjour."]])[:60], "damaged")
    add("binary.txt", b"\x00\x01\x02" * 100, "format")
    add("huge.txt", b"a" * (5 * 1024 * 1024), "too_large")
    return files


def _zip_without_content() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    return buffer.getvalue()


def test_hostile_files_are_refused_with_one_clear_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, (path, reason) in _hostile(tmp_path, monkeypatch).items():
        with pytest.raises(UnreadableFile) as caught:
            extract(path)
        assert caught.value.reason == reason, name
        for lang in ("fr", "en"):
            message = describe_error(caught.value, lang)
            assert name in message and "\n" not in message


def test_an_encrypted_pdf_is_named_as_such(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = tmp_path / "plain.pdf"
    plain.write_bytes(pdf_bytes([["Secret."]]))
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt("motdepasse")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(UnreadableFile) as caught:
        extract(locked)
    assert caught.value.reason == "encrypted"


def test_an_indexing_run_goes_on_past_hostile_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "docs").mkdir()
    hostile = _hostile(tmp_path / "docs", monkeypatch)
    (tmp_path / "docs" / "good.md").write_text("# Bon\n\nUn texte lisible sur la cantine.", encoding="utf-8")
    store = Store(tmp_path / "i.plume-index")
    report = index_folders(store, [tmp_path / "docs"])
    assert sorted(Path(f.path).name for f in report.failed) == sorted(hostile)
    assert store.counts()[0] == 1
    again = index_folders(store, [tmp_path / "docs"])  # unreadable and unchanged: not read again
    assert (again.read, again.failed) == (0, [])


def test_french_terms_fold_accents_elision_and_inflection() -> None:
    from plume.knowledge.analysis import match_query, terms

    assert terms("L’arrêté") == terms("arrete") == terms("les arrêtés")
    assert terms("délibérations votées") == terms("DELIBERATION voté")
    assert terms("jusqu'au lundi, qu'il") == ["lundi"]
    assert match_query("le la les ?") == ""  # nothing left to search: no query at all
    assert match_query('NEAR("a" OR b) colonne:x') == '"near" OR "colonn"'  # words, never operators
