#!/usr/bin/env python3
"""Build Plume's extension for one LibreOffice platform:
``python3 build.py [--target linux-x86_64|windows-x86_64] [--with-translation] [--argos-models DIR]
[--update-base URL]`` writes ``dist/plume-<version>-<target>[-translation].oxt`` and prints its size.
``python3 build.py policy ...`` writes an administrator's policy layer instead (``--help``).
``python3 build.py menus`` rewrites the menus and shortcuts in ``extension/`` from the actions.

Steps (each small, each failing loudly):
  1. stage ``build/oxt-<target>[-translation]/`` from scratch: the ``extension/`` payload,
     ``description.xml`` (naming the target platform and, with ``--update-base``, the update
     feed), the license, the component file, the dialogs, the ``plume`` and ``plume_lo``
     packages under ``pythonpath/``, and with ``--argos-models`` the language packages under
     ``languages/``;
  2. generate the settings schema (``.xcs``, defaults included) from ``plume.settings``, and the
     menus, context-menu entries and shortcuts from the actions (``plume.actions``; the
     checked-in copies are rewritten by ``python3 build.py menus``);
  3. vendor the runtime dependencies (``requirements.txt``) as wheels for the target's platform
     and Python; with ``--with-translation``, the offline translation runtime too
     (``requirements-translation.txt`` and, without its declared dependencies,
     ``requirements-argos.txt``);
  4. write the Basic library files from their ``.bas`` sources, then check: nothing compiled
     for another platform or Python, versions agree, every manifest entry exists, every macro
     an event is bound to exists, every implementation named in a registry file is registered
     by the component file and defined in its module;
  5. zip; with ``--update-base``, write the update feed next to the package.
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent
PYTHON = ROOT / "python"
sys.path.insert(0, str(PYTHON))

from plume import __version__  # noqa: E402  (needs sys.path above)
from plume.actions import BUILTINS  # noqa: E402
from plume.translation.packages import PackageFolders  # noqa: E402
from plume_build import basic, menus, update  # noqa: E402
from plume_build.config import settings_schema  # noqa: E402
from plume_build.targets import HOST_TARGET, TARGETS, PlatformMismatch, Target, check_native_files  # noqa: E402
from plume_lo import ids  # noqa: E402

MANIFEST_NS = "{http://openoffice.org/2001/manifest}"
OOR_NS = "{http://openoffice.org/2001/registry}"
LIBREOFFICE_PYTHON = "/usr/bin/python3"  # the Python soffice runs on this machine (Debian)


class BuildError(Exception):
    pass


def stage(out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(ROOT / "extension", out)
    shutil.copy2(ROOT / "description.xml", out / "description.xml")
    shutil.copy2(ROOT / "LICENSE", out / "LICENSE.txt")
    shutil.copy2(PYTHON / "plume_component.py", out / "plume_component.py")
    if (ROOT / "dialogs").is_dir():
        shutil.copytree(ROOT / "dialogs", out / "dialogs", dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.md"))
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in ("plume", "plume_lo"):
        shutil.copytree(PYTHON / package, out / "pythonpath" / package, ignore=ignore)


def check_basic(out: Path) -> None:
    """Write the Basic libraries' files and check every event bound to a macro names one
    the package defines (a misspelt binding would fail silently in LibreOffice)."""
    procedures = basic.compile_libraries(out / "basic")
    for xcu in (out / "registry").glob("*.xcu"):
        for prop in ElementTree.parse(xcu).getroot().iter("prop"):
            if prop.get(f"{OOR_NS}name") != "BindingURL":
                continue
            url = (prop.findtext("value") or "").strip()
            macro = basic.basic_macro(url)
            if macro is None or macro[1] not in procedures.get(macro[0], set()):
                raise BuildError(f"{xcu.name} binds an event to {url!r}, which the package's Basic does not define")


def generate_config(out: Path) -> None:
    config = out / "config"
    config.mkdir(exist_ok=True)
    (config / "PlumeSettings.xcs").write_text(settings_schema(), encoding="utf-8")
    # The package's menus always match its actions, even if the checked-in copies were not rewritten.
    for relative, text in menus.generated(ROOT / "extension", BUILTINS).items():
        (out / relative).write_text(text, encoding="utf-8")


def target_python_version(python: str) -> str:
    result = subprocess.run(
        [python, "-c", "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')"], capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BuildError(f"cannot run LibreOffice's Python {python}: {result.stderr.strip()}")
    return result.stdout.strip()


def vendor(out: Path, target: Target, python_version: str, with_translation: bool = False) -> None:
    """Install the runtime dependencies into pythonpath/ as binary wheels for the target's
    platform and Python (pydantic-core, used by ollama, is compiled; so is the translation
    runtime), whatever machine runs the build."""
    pythonpath = out / "pythonpath"
    _pip_target(pythonpath, target, python_version, ["-r", str(ROOT / "requirements.txt")])
    if with_translation:
        _pip_target(pythonpath, target, python_version, ["-r", str(ROOT / "requirements-translation.txt")])
        _pip_target(pythonpath, target, python_version, ["--no-deps", "-r", str(ROOT / "requirements-argos.txt")])
    shutil.rmtree(pythonpath / "bin", ignore_errors=True)


def _pip_target(pythonpath: Path, target: Target, python_version: str, requirements: list[str]) -> None:
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile", "--upgrade",
        "--target", str(pythonpath), "--python-version", python_version, "--only-binary=:all:", "--implementation", "cp",
        *(f"--platform={platform}" for platform in target.wheel_platforms), *requirements,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError(f"vendoring the dependencies for {target.name} failed:\n" + result.stderr[-3000:])


def bundle_language_packages(out: Path, models: Path) -> list[str]:
    """Unpack every ``.argosmodel`` in ``models`` into the package's ``languages/`` folder, which
    Plume reads as one more shared folder (read-only, like the one IT deploys)."""
    files = sorted(models.glob("*.argosmodel"))
    if not files:
        raise BuildError(f"--argos-models: no .argosmodel file in {models}")
    folders = PackageFolders(out / "languages")
    try:
        return [f"{p.source}->{p.target}" for p in (folders.install(file) for file in files)]
    except Exception as error:  # a corrupt or foreign archive: say which build input is wrong
        raise BuildError(f"--argos-models: {error}") from error


def stage_description(out: Path, target: Target, update_base: str, suffix: str) -> None:
    """The staged description.xml names the target's platform and, with ``update_base``, the
    update feed this build writes next to the package."""
    description = update.with_platform((out / "description.xml").read_text(encoding="utf-8"), target.oxt_platform)
    if update_base:
        description = update.with_update_information(
            description, update.join_url(update_base, update.feed_name(target.name, suffix))
        )
    (out / "description.xml").write_text(description, encoding="utf-8")


def check_version() -> None:
    declared = ElementTree.parse(ROOT / "description.xml").find("{http://openoffice.org/extensions/description/2006}version")
    if declared is None or declared.get("value") != __version__:
        raise BuildError(
            f"description.xml version {declared.get('value') if declared is not None else None} != plume {__version__}"
        )


def check_manifest(out: Path) -> None:
    missing = [
        entry.get(f"{MANIFEST_NS}full-path", "")
        for entry in ElementTree.parse(out / "META-INF" / "manifest.xml").getroot()
        if not (out / entry.get(f"{MANIFEST_NS}full-path", "")).exists()
    ]
    if missing:
        raise BuildError(f"manifest entries missing from the package: {', '.join(missing)}")


def registered_implementations(component: Path) -> dict[str, tuple[str, str]]:
    """{implementation name: (module, class name)} from the component file's
    ``addImplementation(_lazy("module", "Class"), ids.NAME, ...)`` calls."""
    tree = ast.parse(component.read_text(encoding="utf-8"))
    found: dict[str, tuple[str, str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "addImplementation":
            factory, name = node.args[0], node.args[1]
            literals = [a.value for a in factory.args if isinstance(a, ast.Constant)] if isinstance(factory, ast.Call) else []
            if not (
                isinstance(factory, ast.Call)
                and getattr(factory.func, "id", "") == "_lazy"
                and len(literals) == 2
                and isinstance(name, ast.Attribute)
                and isinstance(name.value, ast.Name)
            ):
                raise BuildError(f'{component.name}: addImplementation must take _lazy("module", "Class") and an ids.NAME')
            found[getattr(ids, name.attr)] = (str(literals[0]), str(literals[1]))
    return found


def check_implementations(out: Path) -> None:
    component = out / "plume_component.py"
    registered = registered_implementations(component)
    for implementation, (module, cls) in registered.items():
        source = out / "pythonpath" / (module.replace(".", "/") + ".py")
        if not source.is_file() or not re.search(rf"^class {cls}\b", source.read_text(encoding="utf-8"), re.MULTILINE):
            raise BuildError(f"{cls} (for {implementation}) is not defined in {module}")
    referenced: set[str] = set()
    for xcu in (out / "registry").glob("*.xcu"):
        root = ElementTree.parse(xcu).getroot()
        for node in root.iter("node"):
            if root.get(f"{OOR_NS}name") == "ProtocolHandler" and node.get(f"{OOR_NS}name", "").startswith(ids.EXTENSION_ID):
                referenced.add(node.get(f"{OOR_NS}name", ""))
        for prop in root.iter("prop"):
            if prop.get(f"{OOR_NS}name") in ("FactoryImplementation", "ImplementationURL", "EventHandlerService", "Service"):
                value = prop.findtext("value") or ""
                if value.startswith(ids.EXTENSION_ID):
                    referenced.add(value)
    unknown = referenced - set(registered)
    if unknown:
        raise BuildError(f"registry files name implementations the component does not register: {', '.join(sorted(unknown))}")


def check_platform(out: Path, target: Target, python_version: str) -> None:
    try:
        check_native_files(out / "pythonpath", target, python_version)
    except PlatformMismatch as error:
        raise BuildError(str(error)) from error


def write_oxt(out: Path, dist: Path, name: str) -> Path:
    dist.mkdir(exist_ok=True)
    oxt = dist / name
    oxt.unlink(missing_ok=True)
    with zipfile.ZipFile(oxt, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(out.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(out).as_posix())
    return oxt


def package_name(target: str, with_translation: bool) -> str:
    return f"plume-{__version__}-{target}{'-translation' if with_translation else ''}.oxt"


def build(
    libreoffice_python: str = LIBREOFFICE_PYTHON,
    vendor_deps: bool = True,
    with_translation: bool = False,
    target_name: str = HOST_TARGET,
    argos_models: Path | None = None,
    update_base: str = "",
    output_dir: Path | None = None,
    python_version: str = "",
) -> Path:
    """Build the package for ``target_name``; returns its path under ``dist/`` (or
    ``output_dir``, which then also holds the stage)."""
    if target_name not in TARGETS:
        raise BuildError(f"unknown target {target_name!r}; choose one of {', '.join(TARGETS)}")
    if argos_models is not None and not with_translation:
        raise BuildError("--argos-models needs --with-translation: language packages are useless without the runtime")
    target = TARGETS[target_name]
    suffix = "-translation" if with_translation else ""
    dist = output_dir or ROOT / "dist"
    stages = output_dir / "stage" if output_dir else ROOT / "build"
    out = stages / f"oxt-{target.name}{suffix}"  # one stage per target: nothing carried over
    check_version()
    stage(out)
    stage_description(out, target, update_base, suffix)
    generate_config(out)
    if argos_models is not None:
        bundle_language_packages(out, argos_models)
    if vendor_deps:
        python_version = python_version or target.python_version or target_python_version(libreoffice_python)
        vendor(out, target, python_version, with_translation)
        check_platform(out, target, python_version)
    check_basic(out)
    check_manifest(out)
    check_implementations(out)
    oxt = write_oxt(out, dist, package_name(target.name, with_translation))
    if update_base:
        feed = update.update_feed((out / "description.xml").read_text(encoding="utf-8"), update.join_url(update_base, oxt.name))
        (dist / update.feed_name(target.name, suffix)).write_text(feed, encoding="utf-8")
    return oxt


POLICY_HELP = """Write an administrator's configuration layer for Plume (a .xcd file). Install it in
LibreOffice's share/registry folder (see docs/admin.en.md); values it locks are greyed out
in Tools > Options > Plume and cannot be changed by users. Actions IT defines (--actions FILE)
are always locked and appear in every user's Plume menu."""


def policy_main(argv: list[str]) -> int:
    from plume_build.policy import PolicyError, build_policy, policy_parser

    args = policy_parser(POLICY_HELP).parse_args(argv)
    try:
        text, summary = build_policy(args)
    except PolicyError as error:
        for problem in error.problems:
            print(f"build.py policy: {problem}", file=sys.stderr)
        return 2
    Path(args.output).write_text(text, encoding="utf-8")
    print(f"{args.output}\n{summary}")
    return 0


def menus_main() -> int:
    """Rewrite the checked-in menus, context-menu entries and shortcuts from the actions."""
    try:
        changed = menus.write(ROOT / "extension", BUILTINS)
    except ValueError as error:  # two actions want one shortcut letter
        print(f"build.py menus: {error}", file=sys.stderr)
        return 1
    print("\n".join(f"extension/{path.as_posix()}" for path in changed) or "menus up to date")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["policy"]:
        return policy_main(argv[1:])
    if argv[:1] == ["menus"]:
        return menus_main()
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Policy: build.py policy --help. Menus from the actions: build.py menus",
    )
    parser.add_argument(
        "--target", default=HOST_TARGET, choices=sorted(TARGETS), help=f"the LibreOffice to build for (default {HOST_TARGET})"
    )
    parser.add_argument(
        "--libreoffice-python",
        help=f"Linux: the Python that LibreOffice runs, for wheel selection (default {LIBREOFFICE_PYTHON})",
    )
    parser.add_argument(
        "--python-version",
        metavar="X.Y",
        help=f"Windows: the Python the target LibreOffice bundles (default {TARGETS['windows-x86_64'].python_version})",
    )
    parser.add_argument("--no-vendor", action="store_true", help="skip dependencies (for checks only)")
    parser.add_argument(
        "--with-translation", action="store_true", help="add the offline translation runtime (Argos Translate, about 100 MB)"
    )
    parser.add_argument(
        "--argos-models",
        type=Path,
        metavar="DIR",
        help="bundle every .argosmodel language package in DIR (needs --with-translation)",
    )
    parser.add_argument(
        "--update-base",
        default="",
        metavar="URL",
        help="where IT hosts the packages: description.xml names URL/plume-update-<target>.xml, written to dist/",
    )
    parser.add_argument("--output-dir", type=Path, metavar="DIR", help="write the package (and its stage) there, not in dist/")
    args = parser.parse_args(argv)
    if args.libreoffice_python and TARGETS[args.target].python_version:
        parser.error(f"--libreoffice-python applies to Linux targets: {args.target} bundles its own Python")
    if args.python_version and not TARGETS[args.target].python_version:
        parser.error("--python-version applies to Windows: on Linux, give --libreoffice-python (the Python LibreOffice runs)")
    if args.python_version and not re.fullmatch(r"3\.\d+", args.python_version):
        parser.error(f"--python-version: expected 3.X, not {args.python_version!r}")
    try:
        oxt = build(
            args.libreoffice_python or LIBREOFFICE_PYTHON,
            vendor_deps=not args.no_vendor,
            with_translation=args.with_translation,
            target_name=args.target,
            argos_models=args.argos_models,
            update_base=args.update_base,
            output_dir=args.output_dir.resolve() if args.output_dir else None,
            python_version=args.python_version or "",
        )
    except BuildError as error:
        print(f"build.py: {error}", file=sys.stderr)
        return 1
    shown = oxt.relative_to(ROOT) if oxt.is_relative_to(ROOT) else oxt
    print(f"{shown}  {oxt.stat().st_size / 1e6:.1f} MB  ({args.target})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
