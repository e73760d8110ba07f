"""Basic libraries of the package: the repository keeps readable ``.bas`` sources under
``extension/basic/<Library>/``; LibreOffice reads a library as one ``.xba`` XML file per
module plus a ``script.xlb`` index (and a ``dialog.xlb``, empty here). The build writes those and drops the sources.

The only Basic in Plume is the context-menu registration (see ContextMenu.bas for why it is
not Python)."""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'
_MODULE_DOCTYPE = '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n'
_LIBRARY_DOCTYPE = '<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">\n'
_PROCEDURE = re.compile(r"^\s*(?:Public\s+|Private\s+)?(?:Sub|Function)\s+(\w+)", re.IGNORECASE | re.MULTILINE)


def module_xml(name: str, source: str) -> str:
    return (
        _HEADER
        + _MODULE_DOCTYPE
        + f'<script:module xmlns:script="http://openoffice.org/2000/script" script:name={quoteattr(name)}'
        + ' script:language="StarBasic">'
        + escape(source, {'"': "&quot;"})
        + "</script:module>\n"
    )


def library_xml(name: str, modules: list[str]) -> str:
    elements = "".join(f" <library:element library:name={quoteattr(module)}/>\n" for module in modules)
    return (
        _HEADER
        + _LIBRARY_DOCTYPE
        + f'<library:library xmlns:library="http://openoffice.org/2000/library" library:name={quoteattr(name)}'
        + ' library:readonly="true" library:passwordprotected="false">\n'
        + elements
        + "</library:library>\n"
    )


def compile_libraries(basic_dir: Path) -> dict[str, set[str]]:
    """Turn every ``<Library>/<Module>.bas`` under ``basic_dir`` into LibreOffice's files.
    Returns each ``Library.Module`` with the procedures it defines, for the build's checks."""
    procedures: dict[str, set[str]] = {}
    if not basic_dir.is_dir():
        return procedures
    for library in sorted(p for p in basic_dir.iterdir() if p.is_dir()):
        modules = []
        for source in sorted(library.glob("*.bas")):
            text = source.read_text(encoding="utf-8")
            (library / f"{source.stem}.xba").write_text(module_xml(source.stem, text), encoding="utf-8")
            source.unlink()
            modules.append(source.stem)
            procedures[f"{library.name}.{source.stem}"] = set(_PROCEDURE.findall(text))
        (library / "script.xlb").write_text(library_xml(library.name, modules), encoding="utf-8")
        # LibreOffice loads a Basic library's dialog index with it and shows an error box when
        # it is missing, even for a library without dialogs.
        (library / "dialog.xlb").write_text(library_xml(library.name, []), encoding="utf-8")
    return procedures


def basic_macro(url: str) -> tuple[str, str] | None:
    """``("Library.Module", "Procedure")`` of a Basic script URL, or None for anything else."""
    match = re.fullmatch(r"vnd\.sun\.star\.script:(\w+\.\w+)\.(\w+)\?language=Basic&location=\w+", url)
    return (match.group(1), match.group(2)) if match else None
