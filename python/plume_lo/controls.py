"""Building a panel from a layout table: AWT controls in a container peered to the sidebar's
window, laid out in rows that follow the panel's width. Code rather than an .xdl file because a
sidebar panel must reflow when the user resizes the sidebar.

A row whose texts do not fit the width wraps onto several lines instead of cutting them: each
button and one-line label gets at least its minimum width (its text in its own font, as
VCL measures it), and the room left is shared by weight.
"""

from __future__ import annotations

from typing import Any

from .context import create
from .panel_layout import Cell, Row

MARGIN, GAP = 6, 4
HEIGHTS = {"Button": 26, "FixedText": 18, "Edit": 24, "ListBox": 24}
FLEXIBLE_WIDTH = 48  # what a list or a text field needs at least: it scrolls its content


class Panel:
    def __init__(self, ctx: Any, parent: Any) -> None:
        self.ctx = ctx
        model = create(ctx, "com.sun.star.awt.UnoControlContainerModel")
        self.container = create(ctx, "com.sun.star.awt.UnoControlContainer")
        self.container.setModel(model)
        self.container.createPeer(create(ctx, "com.sun.star.awt.Toolkit"), parent)
        self.rows: tuple[Row, ...] = ()
        self.cells: dict[str, Cell] = {}
        self._enabled: dict[str, bool] = {}  # as last set by enable()
        self._height = 0

    def build(self, rows: tuple[Row, ...]) -> None:
        """Create every control of the table, in its order (the tab order)."""
        self.rows = rows
        for row in rows:
            for cell in row.cells:
                self.cells[cell.name] = cell
                self.add(cell)
        self._height = MARGIN * 2 + sum(self._row_height(r) for r in rows) + GAP * max(0, len(rows) - 1)

    def add(self, cell: Cell) -> Any:
        model = create(self.ctx, f"com.sun.star.awt.UnoControl{cell.kind}Model")
        text = "Label" if cell.kind in ("Button", "FixedText") else "HelpText"  # fields are named by their help text
        if cell.label:
            setattr(model, text, cell.label)
        if cell.kind != "FixedText":
            model.Tabstop = True
        for key, value in cell.props:
            setattr(model, key, value)
        control = create(self.ctx, f"com.sun.star.awt.UnoControl{cell.kind}")
        control.setModel(model)
        self.container.addControl(cell.name, control)
        return control

    def height(self) -> int:
        return self._height

    def layout(self, width: int) -> None:
        y = MARGIN
        usable = max(60, width - 2 * MARGIN)
        for row in self.rows:
            height = self._row_height(row)
            for line in self._lines(row.cells, usable):
                self._place(line, y, height, usable)
                y += height + GAP
        self._height = y - GAP + MARGIN

    def _lines(self, cells: tuple[Cell, ...], usable: int) -> list[list[tuple[Cell, int]]]:
        """The row's cells with the widths their texts need, in as many lines as the width needs."""
        lines: list[list[tuple[Cell, int]]] = [[]]
        used = 0
        for cell in cells:
            need = self._needed_width(cell)
            if lines[-1] and used + GAP + need > usable:
                lines.append([])
                used = 0
            used += need + (GAP if lines[-1] else 0)
            lines[-1].append((cell, need))
        return lines

    def _place(self, line: list[tuple[Cell, int]], y: int, height: int, usable: int) -> None:
        # Each cell gets the width its text needs, then a share of what is left by weight.
        spare = max(0, usable - GAP * (len(line) - 1) - sum(need for _, need in line))
        total = sum(cell.weight for cell, _ in line)
        x = MARGIN
        for index, (cell, need) in enumerate(line):
            w = need + spare * cell.weight // total
            if index == len(line) - 1:
                w = MARGIN + usable - x  # the last one takes the rounding
            self.control(cell.name).setPosSize(x, y, w, height, 15)  # 15: PosSize.POSSIZE
            x += w + GAP

    def _needed_width(self, cell: Cell) -> int:
        # The minimum size: its text in its font within its borders (the preferred one adds
        # some 16 px of air, which wrapped three short buttons at the sidebar's default width).
        multiline = dict(cell.props).get("MultiLine", False)
        if cell.kind in ("Button", "FixedText") and not multiline:
            return int(self.control(cell.name).getMinimumSize().Width)
        return FLEXIBLE_WIDTH

    @staticmethod
    def _row_height(row: Row) -> int:
        return row.height or HEIGHTS.get(row.cells[0].kind, 24)

    def control(self, name: str) -> Any:
        return self.container.getControl(name)

    def enable(self, name: str, enabled: bool) -> None:
        # Only a change is set: every set is a property event and a repaint, for each control
        # at each state change (benchmarks row 3b).
        if self._enabled.get(name) != enabled:
            self.control(name).getModel().Enabled = enabled
            self._enabled[name] = enabled
