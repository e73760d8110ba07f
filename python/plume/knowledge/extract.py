"""The text of a file as paragraphs that know where they are (page, heading level), for the
formats agents keep their documents in: ODT/ODS/ODP, DOCX, PDF, TXT, Markdown, HTML.

Every file is hostile until read: sizes are bounded before and while reading (a zip's
members are measured as they are inflated, never trusted from its directory), XML refuses
DTDs (:mod:`.safexml`), and every failure becomes one :class:`~plume.errors.UnreadableFile`
naming the file and the reason, never a traceback.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import IO

from ..errors import UnreadableFile
from .safexml import XMLRefused, parse

MAX_FILE_BYTES = 256 * 1024**2  # larger is not a document an agent wrote (a disk image, a video)
MAX_XML_BYTES = 128 * 1024**2  # inflated XML of one member: a zip bomb stops here
MAX_TEXT_CHARS = 16 * 1024**2  # extracted text of one file
MAX_PDF_PAGES = 5000

EXTENSIONS = (".odt", ".ods", ".odp", ".docx", ".pdf", ".txt", ".md", ".markdown", ".html", ".htm")


@dataclass(frozen=True)
class Paragraph:
    text: str
    level: int = 0  # heading level (1 = top); 0 for body text
    page: int | None = None  # 1-based page, slide or sheet


@dataclass
class Extracted:
    paragraphs: list[Paragraph] = field(default_factory=list)
    title: str = ""  # the document's own title (metadata, <title>), if it has one


class _TooMuch(Exception):
    pass


class _Collector:
    """Paragraphs as they are found, with a bound on the total text."""

    def __init__(self) -> None:
        self.out = Extracted()
        self.chars = 0

    def add(self, text: str, level: int = 0, page: int | None = None) -> None:
        text = " ".join(text.split())
        if not text:
            return
        self.chars += len(text)
        if self.chars > MAX_TEXT_CHARS:
            raise _TooMuch()
        self.out.paragraphs.append(Paragraph(text, level, page))


def supported(path: Path) -> bool:
    return path.suffix.lower() in EXTENSIONS


def extract(path: Path) -> Extracted:
    """Paragraphs of ``path``; :class:`UnreadableFile` when it cannot be read."""
    suffix = path.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        raise UnreadableFile(str(path), "format")
    try:
        size = path.stat().st_size
    except OSError as error:
        raise UnreadableFile(str(path), "access", error.strerror or str(error)) from None
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(str(path), "too_large", f"{size // 1024**2} MB")
    collector = _Collector()
    try:
        reader(path, collector)
    except UnreadableFile:
        raise
    except _TooMuch:
        raise UnreadableFile(str(path), "too_large", f"more than {MAX_TEXT_CHARS // 1024**2} M characters of text") from None
    except XMLRefused as error:
        raise UnreadableFile(str(path), "damaged", str(error)) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError):
        raise UnreadableFile(str(path), "damaged", "not a valid document archive") from None
    except OSError as error:
        raise UnreadableFile(str(path), "access", error.strerror or str(error)) from None
    except RecursionError:
        raise UnreadableFile(str(path), "damaged", "nested too deeply") from None
    except Exception as error:  # a parser's own error on a damaged file (pypdf raises many kinds)
        raise UnreadableFile(str(path), "damaged", f"{type(error).__name__}: {error}"[:200]) from None
    return collector.out


# --- plain text, Markdown, HTML ------------------------------------------------------------


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(str(path), "format", "binary data, not text")
    for encoding in ("utf-8-sig", "utf-16") if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",):
        try:
            return raw.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
    return raw.decode("cp1252", "replace").replace("\r\n", "\n").replace("\r", "\n")  # old Windows files


_BLANK_LINE = re.compile(r"\n\s*\n")


def _blank_line_blocks(text: str) -> list[str]:
    return [block for block in _BLANK_LINE.split(text) if block.strip()]


def _txt(path: Path, out: _Collector) -> None:
    for block in _blank_line_blocks(_read_text(path)):
        out.add(block)


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_SETEXT = re.compile(r"^(=+|-+)\s*$")
_MD_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")  # a list item's mark: compiled once, not looked up each line


def _markdown(path: Path, out: _Collector) -> None:
    lines: list[str] = []

    def flush() -> None:
        if lines:
            out.add(" ".join(lines))
            lines.clear()

    in_front_matter = False
    for number, line in enumerate(_read_text(path).split("\n")):
        if number == 0 and line.strip() == "---":
            in_front_matter = True
            continue
        if in_front_matter:
            in_front_matter = line.strip() not in ("---", "...")
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            flush()
            out.add(heading.group(2), len(heading.group(1)))
        elif _MD_SETEXT.match(line) and len(lines) == 1:
            out.add(lines.pop(), 1 if line.strip().startswith("=") else 2)
        elif not line.strip():
            flush()
        else:
            item = _MD_ITEM.match(line)
            lines.append(line[item.end() :] if item else line)
            if item or line.lstrip().startswith(("-", "*", "+")):
                flush()  # a list item is a paragraph of its own
    flush()


class _HTML(HTMLParser):
    BLOCKS = frozenset(
        [
            "p",
            "div",
            "li",
            "td",
            "th",
            "tr",
            "br",
            "section",
            "article",
            "header",
            "footer",
            "blockquote",
            "pre",
            "dd",
            "dt",
            "caption",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "table",
            "ul",
            "ol",
        ]
    )
    SKIP = frozenset(["script", "style", "head", "noscript", "template", "svg"])

    def __init__(self, out: _Collector) -> None:
        super().__init__(convert_charrefs=True)
        self.out, self.level, self.skipping = out, 0, 0
        self.buffer: list[str] = []
        self.in_title, self.title = False, ""

    def flush(self) -> None:
        self.out.add("".join(self.buffer), self.level)
        self.buffer, self.level = [], 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.flush()
            if re.fullmatch(r"h[1-6]", tag):
                self.level = int(tag[1])

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif not self.skipping:
            self.buffer.append(data)


def _html(path: Path, out: _Collector) -> None:
    parser = _HTML(out)
    text = _read_text(path)
    for start in range(0, len(text), 1 << 16):  # fed in pieces: the parser's work stays linear
        parser.feed(text[start : start + (1 << 16)])
    parser.close()
    parser.flush()
    out.out.title = " ".join(parser.title.split())


# --- OpenDocument and Word ---------------------------------------------------------------

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DC = "http://purl.org/dc/elements/1.1/"


def _member(archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    try:
        return archive.open(name)
    except KeyError:
        raise zipfile.BadZipFile(f"no {name}") from None


def _odf(path: Path, out: _Collector) -> None:
    """content.xml: text:h (outline level) and text:p; pages are ODP slides and ODS sheets."""
    page = 0
    paged = path.suffix.lower() in (".odp", ".ods")
    stack: list[tuple[list[str], int]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal page
        if name in (f"{_DRAW} page", f"{_TABLE} table"):
            page += 1
        elif name in (f"{_TEXT} p", f"{_TEXT} h"):
            level = int(attrs.get(f"{_TEXT} outline-level", "1") or 1) if name.endswith(" h") else 0
            stack.append(([], min(max(level, 0), 10)))
        elif stack and name == f"{_TEXT} s":
            stack[-1][0].append(" " * min(int(attrs.get(f"{_TEXT} c", "1") or 1), 8))
        elif stack and name in (f"{_TEXT} tab", f"{_TEXT} line-break"):
            stack[-1][0].append(" ")

    def end(name: str) -> None:
        if name in (f"{_TEXT} p", f"{_TEXT} h") and stack:
            parts, level = stack.pop()
            out.add("".join(parts), level, page if paged and page else None)

    def text(data: str) -> None:
        if stack:
            stack[-1][0].append(data)

    with zipfile.ZipFile(path) as archive:
        with _member(archive, "content.xml") as stream:
            parse(stream, start=start, end=end, text=text, max_bytes=MAX_XML_BYTES)
        out.out.title = _dc_title(archive, "meta.xml")


def _dc_title(archive: zipfile.ZipFile, member: str) -> str:
    """The Dublin Core title a document's metadata member holds (ODF's ``meta.xml``, OOXML's
    ``docProps/core.xml``: both use ``dc:title``); "" when there is none."""
    if member not in archive.namelist():
        return ""
    title: list[str] = []
    inside = False

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal inside
        inside = name == f"{_DC} title"

    def end(name: str) -> None:
        nonlocal inside
        inside = False

    def text(data: str) -> None:
        if inside:
            title.append(data)

    try:
        with archive.open(member) as stream:
            parse(stream, start=start, end=end, text=text, max_bytes=1024**2)
    except XMLRefused:
        return ""
    return " ".join("".join(title).split())


_HEADING_STYLE = re.compile(r"(?:heading|titre|berschrift)\s*([1-9])$", re.IGNORECASE)


def _docx(path: Path, out: _Collector) -> None:
    """word/document.xml: w:p with w:t runs; headings from the paragraph style
    (Heading1, Titre1...) or an outline level."""
    parts: list[str] = []
    level = 0
    depth = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal level, depth
        if name == f"{_W} p":
            depth += 1
            if depth == 1:
                parts.clear()
                level = 0
        elif name == f"{_W} pStyle":
            style = attrs.get(f"{_W} val", "")
            match = _HEADING_STYLE.search(style.replace("-", "").replace(" ", ""))
            if match:
                level = int(match.group(1))
            elif style.lower() in ("title", "titre"):
                level = 1
        elif name == f"{_W} outlineLvl" and not level:
            value = attrs.get(f"{_W} val", "")
            if value.isdigit() and int(value) < 9:
                level = int(value) + 1
        elif name in (f"{_W} tab", f"{_W} br", f"{_W} cr"):
            parts.append(" ")

    def end(name: str) -> None:
        nonlocal depth
        if name == f"{_W} p":
            depth -= 1
            if depth == 0:
                out.add("".join(parts), level)

    inside_text = [False]

    def start_text(name: str, attrs: dict[str, str]) -> None:
        if name == f"{_W} t":
            inside_text[0] = True
        start(name, attrs)

    def end_text(name: str) -> None:
        if name == f"{_W} t":
            inside_text[0] = False
        end(name)

    def text(data: str) -> None:
        if inside_text[0]:
            parts.append(data)

    with zipfile.ZipFile(path) as archive, _member(archive, "word/document.xml") as stream:
        parse(stream, start=start_text, end=end_text, text=text, max_bytes=MAX_XML_BYTES)
        out.out.title = _dc_title(archive, "docProps/core.xml")


# --- PDF ----------------------------------------------------------------------------------


def _pdf(path: Path, out: _Collector) -> None:
    """Text of each page (pypdf), paragraphs at blank lines, else at each line that ends a
    sentence. A PDF has no headings to read reliably: sections stay empty."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import FileNotDecryptedError
    except ImportError:
        raise UnreadableFile(str(path), "format", "PDF support (pypdf) is not installed") from None
    reader = PdfReader(str(path), strict=False)
    if reader.is_encrypted:
        try:
            reader.decrypt("")  # an owner password only (no user password): readable
        except Exception:
            raise UnreadableFile(str(path), "encrypted") from None
    try:
        pages = reader.pages
        count = len(pages)
    except FileNotDecryptedError:
        raise UnreadableFile(str(path), "encrypted") from None
    if count > MAX_PDF_PAGES:
        raise UnreadableFile(str(path), "too_large", f"{count} pages")
    metadata = reader.metadata
    title = metadata.title if metadata is not None else None
    out.out.title = " ".join(str(title).split()) if title else ""
    for number in range(count):
        text = pages[number].extract_text() or ""
        for paragraph in _pdf_paragraphs(text):
            out.add(paragraph, 0, number + 1)


def _pdf_paragraphs(text: str) -> list[str]:
    paragraphs: list[str] = []
    current: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        current.append(stripped)
        if stripped.endswith((".", ":", "!", "?", ";")):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


_READERS: dict[str, Callable[[Path, _Collector], None]] = {
    ".txt": _txt,
    ".md": _markdown,
    ".markdown": _markdown,
    ".html": _html,
    ".htm": _html,
    ".odt": _odf,
    ".ods": _odf,
    ".odp": _odf,
    ".docx": _docx,
    ".pdf": _pdf,
}
