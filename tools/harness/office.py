"""A real LibreOffice for the tests and the demo: the built .oxt installed with ``unopkg``
into a throwaway profile, soffice started with that profile, a UNO connection to it.

Everything is stopped on exit, also when a test fails. No fixed sleeps: the connection
is polled until soffice accepts it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uno
import unohelper
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.frame import XStatusListener

SOFFICE = shutil.which("soffice") or "/usr/lib/libreoffice/program/soffice"
UNOPKG = shutil.which("unopkg") or "/usr/lib/libreoffice/program/unopkg"
PROGRAM = Path(os.path.realpath(SOFFICE)).parent


def props(**values: Any) -> tuple[PropertyValue, ...]:
    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        result.append(prop)
    return tuple(result)


def _as_profile_owner(command: list[str], profile: Path) -> list[str]:
    """unopkg refuses to write a user profile as root: run it as nobody, as an admin would
    run it as the user."""
    if os.geteuid() != 0:
        return command
    subprocess.run(["chown", "-R", "nobody:nogroup", str(profile)], check=True)
    return [
        "setpriv",
        "--reuid=nobody",
        "--regid=nogroup",
        "--clear-groups",
        "env",
        f"HOME={profile}",
        f"TMPDIR={profile}",
        *command,
    ]


@contextlib.contextmanager
def throwaway_profile() -> Iterator[Path]:
    """A fresh profile folder that an unprivileged unopkg can reach (pytest's tmp is root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="plume-profile-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def install_extension(oxt: Path, profile: Path) -> subprocess.CompletedProcess[str]:
    profile.mkdir(parents=True, exist_ok=True)
    local = profile / oxt.name
    shutil.copy2(oxt, local)
    command = [UNOPKG, "add", "--suppress-license", f"-env:UserInstallation={profile.as_uri()}", str(local)]
    result = subprocess.run(_as_profile_owner(command, profile), capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"unopkg add failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


class StatusListener(unohelper.Base, XStatusListener):  # type: ignore[misc]
    """Collects the job states Plume broadcasts on plume:status."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.changed = threading.Condition()

    def statusChanged(self, event: Any) -> None:
        arrived = time.monotonic()  # for the benchmarks: when this process learnt it
        if isinstance(event.State, str) and event.State.startswith("{"):
            with self.changed:
                self.events.append({**json.loads(event.State), "arrived": arrived})
                self.changed.notify_all()

    def disposing(self, source: Any) -> None:
        pass

    def wait_end(self, after: int, timeout: float = 180.0) -> dict[str, Any]:
        """The first job end (done, error, cancelled) among events after index ``after``."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for event in self.events[after:]:
                    if event["state"] in ("done", "error", "cancelled"):
                        return event
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no job end after {timeout} s; events: {self.events[after:]}")
                self.changed.wait(remaining)


def configuration_layers(admin_layer: Path, in_share_registry: bool = False) -> str:
    """LibreOffice's own layer list with an administrator's layer (a folder of .xcd files)
    inserted before the user's, where /etc/libreoffice/registry sits in a real install; or,
    ``in_share_registry``, ``admin_layer`` is a copy of LibreOffice's share/registry folder
    with a policy added, read in its place: as IT installs a policy, before every extension
    and next to LibreOffice's own .xcd files, without writing to the installation."""
    rc = (PROGRAM / "fundamentalrc").read_text(encoding="utf-8")
    layers = next(line.split("=", 1)[1] for line in rc.splitlines() if line.startswith("CONFIGURATION_LAYERS="))
    if in_share_registry:
        return layers.replace("${BRAND_BASE_DIR}/share/registry", admin_layer.as_uri())
    user = layers.index(" user:")
    return f"{layers[:user]} xcsxcu:{admin_layer.as_uri()}{layers[user:]}"


class Office:
    def __init__(
        self,
        profile: Path,
        log: Path,
        env: dict[str, str] | None = None,
        headless: bool = True,
        admin_layer: Path | None = None,
        in_share_registry: bool = False,
    ) -> None:
        self.profile, self.log, self.headless = profile, log, headless
        self.admin_layer, self.in_share_registry = admin_layer, in_share_registry
        self.pipe = f"plume-test-{os.getpid()}-{id(self)}"
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen[bytes] | None = None
        self.ctx: Any = None
        self.desktop: Any = None
        self.listener = StatusListener()
        self._status_dispatch: Any = None

    def start(self, timeout: float = 120.0, poll: float = 0.1) -> None:
        args = [
            SOFFICE,
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            f"-env:UserInstallation={self.profile.as_uri()}",
            f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext",
        ]
        if self.headless:
            args[1:1] = ["--headless", "--invisible"]
        if self.admin_layer is not None:
            args.append(f"-env:CONFIGURATION_LAYERS={configuration_layers(self.admin_layer, self.in_share_registry)}")
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=self.env)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.ctx = resolver.resolve(f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"soffice did not start (exit {self.process.poll()}); see {self.log}") from None
                time.sleep(poll)
        self.desktop = self.create("com.sun.star.frame.Desktop")

    def create(self, service: str) -> Any:
        return self.ctx.ServiceManager.createInstanceWithContext(service, self.ctx)

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(Exception):
            self._discard_changes()  # a visible modified document would ask "Save?" and block terminate
            self.desktop.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def _discard_changes(self) -> None:
        components = self.desktop.getComponents().createEnumeration()
        while components.hasMoreElements():
            with contextlib.suppress(Exception):
                components.nextElement().setModified(False)

    def __enter__(self) -> Office:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- configuration -----------------------------------------------------
    def configure(self, **values: Any) -> None:
        """Set Plume's settings, as the Options page would."""
        self.set_config("/org.plume.Settings/General", **values)

    def set_config(self, path: str, **values: Any) -> None:
        provider = self.create("com.sun.star.configuration.ConfigurationProvider")
        node = provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationUpdateAccess", props(nodepath=path))
        for name, value in values.items():
            node.replaceByName(name, value)
        node.commitChanges()

    def remember_key(self, url: str, key: str) -> None:
        """Give Plume an API key for this session only (PasswordContainer, not persisted)."""
        self.create("com.sun.star.task.PasswordContainer").add(url, "plume", (key,), None)

    # --- documents and commands --------------------------------------------
    def open(self, path: Path, hidden: bool = True) -> Any:
        return self.desktop.loadComponentFromURL(path.resolve().as_uri(), "_blank", 0, props(Hidden=hidden))

    def url(self, complete: str) -> Any:
        parsed = uno.createUnoStruct("com.sun.star.util.URL")
        parsed.Complete = complete
        _, parsed = self.create("com.sun.star.util.URLTransformer").parseStrict(parsed)
        return parsed

    def watch(self, doc: Any) -> None:
        """Listen to plume:status through this document's frame."""
        if self._status_dispatch is None:
            url = self.url("plume:status")
            self._status_dispatch = doc.getCurrentController().getFrame().queryDispatch(url, "", 0)
            self._status_dispatch.addStatusListener(self.listener, url)

    def dispatch(self, doc: Any, command: str) -> None:
        frame = doc.getCurrentController().getFrame()
        self.create("com.sun.star.frame.DispatchHelper").executeDispatch(frame, command, "", 0, ())

    def run(self, doc: Any, command: str, timeout: float = 180.0) -> dict[str, Any]:
        """Dispatch and wait for the job's end; returns the final status event."""
        self.watch(doc)
        seen = len(self.listener.events)
        self.dispatch(doc, command)
        return self.listener.wait_end(seen, timeout)

    def run_applied(self, doc: Any, command: str, timeout: float = 180.0) -> dict[str, Any]:
        """Dispatch an action that applies its result (``mode=replace|after``) and wait for it.
        An answer the real model cut at max_tokens is never applied by itself (it waits in the
        preview, ``"truncated": true``): apply it as a user would, with ``plume:apply``, so that
        what a test checks next (the applied text, undo, the AI record) does not depend on how
        long the small model's answer happens to be. Returns the action's done event."""
        event = self.run(doc, command, timeout)
        if event["state"] == "done" and event.get("truncated"):
            mode = "replace" if "mode=replace" in command else "after"
            applied = self.run(doc, f"plume:apply?mode={mode}", timeout)
            assert applied["state"] == "done", applied
        return event
