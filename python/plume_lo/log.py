"""Plume's log file in the user profile (``$(user)/plume/plume.log``): what went wrong,
with tracebacks, never document text."""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from typing import Any

_LOGGER = logging.getLogger("plume")


def logger(ctx: Any = None) -> logging.Logger:
    if not _LOGGER.handlers and ctx is not None:
        from .context import user_dir

        folder = os.path.join(user_dir(ctx), "plume")
        os.makedirs(folder, exist_ok=True)
        handler = RotatingFileHandler(os.path.join(folder, "plume.log"), maxBytes=1_000_000, backupCount=2, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        _LOGGER.addHandler(handler)
        _LOGGER.setLevel(logging.INFO)
        _LOGGER.propagate = False
    return _LOGGER
