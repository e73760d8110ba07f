"""Building a panel from code: AWT controls in a container peered to the sidebar's window,
laid out in rows that follow the panel's width. Code rather than an .xdl file because a
sidebar panel must reflow when the user resizes the sidebar."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .context import create

MARGIN, GAP = 6, 4
HEIGHTS = {"Button": 26, "FixedText": 18, "Edit": 24, "ListBox": 24}


@dataclass
class Row:
    names: list[str]
    height: int
    weights: list[int]


class Panel:
    def __init__(self, ctx: Any, parent: Any) -> None:
        self.ctx = ctx
        model = create(ctx, "com.sun.star.awt.UnoControlContainerModel")
        self.container = create(ctx, "com.sun.star.awt.UnoControlContainer")
        self.container.setModel(model)
        self.container.createPeer(create(ctx, "com.sun.star.awt.Toolkit"), parent)
        self.rows: list[Row] = []

    def add(self, kind: str, name: str, **properties: Any) -> Any:
        model = create(self.ctx, f"com.sun.star.awt.UnoControl{kind}Model")
        for key, value in properties.items():
            setattr(model, key, value)
        control = create(self.ctx, f"com.sun.star.awt.UnoControl{kind}")
        control.setModel(model)
        self.container.addControl(name, control)
        return control

    def row(self, *items: tuple[str, int], height: int = 0) -> None:
        names = [name for name, _ in items]
        kind = self.container.getControl(names[0]).getModel().getPropertyValue("DefaultControl").rsplit(".", 1)[-1]
        self.rows.append(Row(names, height or HEIGHTS.get(kind.removeprefix("UnoControl"), 24), [w for _, w in items]))

    def height(self) -> int:
        return MARGIN * 2 + sum(r.height for r in self.rows) + GAP * max(0, len(self.rows) - 1)

    def layout(self, width: int) -> None:
        y = MARGIN
        usable = max(60, width - 2 * MARGIN)
        for row in self.rows:
            total = sum(row.weights)
            x = MARGIN
            free = usable - GAP * (len(row.names) - 1)
            for name, weight in zip(row.names, row.weights, strict=True):
                w = free * weight // total
                self.container.getControl(name).setPosSize(x, y, w, row.height, 15)  # 15: PosSize.POSSIZE
                x += w + GAP
            y += row.height + GAP

    def control(self, name: str) -> Any:
        return self.container.getControl(name)
