"""The core never imports LibreOffice: statically (every import statement) and at run time."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "python" / "plume"
FORBIDDEN = ("uno", "unohelper", "com", "plume_lo", "pyuno")


def _imported_modules(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module",
            "__import__",
        ):
            names += [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
    return names


def test_no_core_module_imports_uno() -> None:
    offenders = {
        f"{path.relative_to(CORE)}: {name}"
        for path in CORE.rglob("*.py")
        for name in _imported_modules(path)
        if name.split(".")[0] in FORBIDDEN
    }
    assert not offenders, offenders


def test_the_scan_sees_a_uno_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom com.sun.star.text import XText\nimport uno\n", encoding="utf-8")
    assert {"com.sun.star.text", "uno"} <= set(_imported_modules(bad))


def test_importing_every_core_module_loads_no_uno() -> None:
    modules = sorted(
        "plume." + ".".join(p.relative_to(CORE).with_suffix("").parts).replace(".__init__", "")
        for p in CORE.rglob("*.py")
        if p.name != "__main__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m.removesuffix('.__init__'))\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=CORE.parent)
    assert result.returncode == 0, result.stdout + result.stderr


# --- one door out: no code but the door builds a network client or opens a socket ---------

PYTHON = CORE.parent
DOOR = PYTHON / "plume" / "egress" / "door.py"
# Calls that open connections or build a client that would: only the door may make them.
NETWORK_CALLS = frozenset(
    [
        "Client",
        "AsyncClient",
        "HTTPTransport",
        "AsyncHTTPTransport",
        "urlopen",
        "HTTPConnection",
        "HTTPSConnection",
        "create_connection",
        "socket",
        "request",
        "stream",
        "get",
        "post",
    ]
)
NETWORK_MODULES = ("httpx", "ollama", "urllib.request", "http.client", "socket", "requests", "aiohttp", "urllib3")


def _network_calls(path: Path) -> list[str]:
    """``module.call(...)`` where module is a network library imported by the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = {
        alias.asname or alias.name: alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name in NETWORK_MODULES
    }
    aliases |= {
        alias.asname or alias.name: f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module in NETWORK_MODULES
        for alias in node.names
    }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in aliases:
            if func.attr in NETWORK_CALLS:
                found.append(f"{aliases[func.value.id]}.{func.attr}")
        elif isinstance(func, ast.Name) and func.id in aliases and aliases[func.id].split(".")[-1] in NETWORK_CALLS:
            found.append(aliases[func.id])
    return found


def test_only_the_door_builds_network_clients() -> None:
    offenders = {
        f"{path.relative_to(PYTHON)}: {call}" for path in PYTHON.rglob("*.py") if path != DOOR for call in _network_calls(path)
    }
    assert not offenders, offenders


def test_the_network_scan_sees_a_client_built_elsewhere(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import httpx\nimport socket as s\nfrom urllib.request import urlopen\nimport ollama\n"
        "httpx.Client()\ns.create_connection(('h', 1))\nurlopen('http://x')\nollama.Client()\nhttpx.post('http://x')\n",
        encoding="utf-8",
    )
    assert set(_network_calls(bad)) == {"httpx.Client", "socket.create_connection", "urllib.request.urlopen",
                                        "ollama.Client", "httpx.post"}  # fmt: skip
