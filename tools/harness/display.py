"""A virtual X display (Xvfb) for GUI tests and screenshots; always stopped on exit."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def virtual_display(width: int = 1400, height: int = 900) -> Iterator[str]:
    """Yield a DISPLAY value such as ":93"."""
    if shutil.which("Xvfb") is None:
        raise RuntimeError("Xvfb is not installed: run tools/setup.sh")
    for number in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            break
    display = f":{number}"
    process = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Xvfb {display} did not start")
            time.sleep(0.05)
        yield display
    finally:
        process.terminate()
        process.wait(timeout=10)


def screenshot(display: str, path: Path) -> Path:
    """The whole screen as PNG (ImageMagick's import)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["import", "-display", display, "-window", "root", str(path)], check=True,
                   env={**os.environ, "DISPLAY": display}, timeout=30)  # fmt: skip
    return path
