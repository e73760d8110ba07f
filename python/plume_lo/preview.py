"""The sidebar's preview while a run streams into it.

Setting the whole text again for every piece made LibreOffice lay out and repaint all of it
each time: about 0.2 s of its CPU per action (benchmarks row 3b). A piece is appended at the
end instead, through the field's peer (the control's own ``insertText`` sets the whole text
too); the worker already delivers pieces at most every ``worker.FLUSH_SECONDS``. When the run
ends, the full text is set once, and only if it differs from what is shown.
"""

from __future__ import annotations

from typing import Any


def utf16_length(text: str) -> int:
    """A position in a field's text counts UTF-16 units, as LibreOffice's strings do."""
    return len(text.encode("utf-16-le")) // 2


class StreamedText:
    def __init__(self, control: Any) -> None:
        self.control = control
        self.length = 0  # of the text shown, in UTF-16 units

    def start(self, text: str) -> None:
        """Show ``text`` as it is (the run's text so far, or its final one)."""
        if self.control.getText() != text:
            self.control.setText(text)
        self.length = utf16_length(self.control.getText())

    def append(self, text: str) -> None:
        from com.sun.star.awt import Selection

        # The field keeps line breaks as "\n": a "\r" would make its end move by less than counted.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text:
            return
        peer = self.control.getPeer()
        if peer is None:  # not shown yet: nothing to repaint
            self.start(self.control.getText() + text)
            return
        peer.insertText(Selection(self.length, self.length), text)
        self.length += utf16_length(text)
