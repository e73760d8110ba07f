"""Putting plain text on the system clipboard."""

from __future__ import annotations

from typing import Any

import uno
import unohelper
from com.sun.star.datatransfer import DataFlavor, XTransferable

from .context import create


def copy_text(ctx: Any, text: str) -> None:
    create(ctx, "com.sun.star.datatransfer.clipboard.SystemClipboard").setContents(_TextTransfer(text), None)


class _TextTransfer(unohelper.Base, XTransferable):  # type: ignore[misc]
    def __init__(self, text: str) -> None:
        self.text = text
        flavor = DataFlavor()
        flavor.MimeType = "text/plain;charset=utf-16"
        flavor.HumanPresentableName = "Unicode-Text"
        flavor.DataType = uno.getTypeByName("string")
        self.flavor = flavor

    def getTransferData(self, flavor: Any) -> str:
        return self.text

    def getTransferDataFlavors(self) -> tuple[Any, ...]:
        return (self.flavor,)

    def isDataFlavorSupported(self, flavor: Any) -> bool:
        return str(flavor.MimeType).startswith("text/plain")
