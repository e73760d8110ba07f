"""Figures from repeated timings: medians to quote, and how noisy the machine was."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Timings:
    """Repeated measurements of one thing, in seconds (or any unit, consistently)."""

    values: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def percentile(self, share: float) -> float:
        """Nearest-rank percentile: with few samples, the 99th is the maximum, never an
        interpolation below what was actually seen."""
        ordered = sorted(self.values)
        rank = max(1, math.ceil(share * len(ordered)))
        return ordered[rank - 1]

    @property
    def maximum(self) -> float:
        return max(self.values)

    @property
    def spread(self) -> float:
        """Interquartile range over the median: 0.05 means the middle half of the runs lay
        within 5 % of each other. With fewer than 4 runs, (max - min) / median."""
        if len(self.values) < 4:
            return (max(self.values) - min(self.values)) / self.median if self.median else 0.0
        quartiles = statistics.quantiles(self.values, n=4, method="inclusive")
        return (quartiles[2] - quartiles[0]) / self.median if self.median else 0.0


def ratio(plume: Timings, reference: Timings) -> float:
    """The median of the paired ratios when the runs were paired (run *i* of each side back to
    back, so a machine that slows down for a while slows both), else the ratio of medians."""
    if len(plume.values) == len(reference.values):
        return statistics.median(p / r if r else math.inf for p, r in zip(plume.values, reference.values, strict=True))
    return plume.median / reference.median if reference.median else math.inf


def difference(plume: Timings, reference: Timings) -> float:
    """Median of the paired differences (see :func:`ratio`), else the difference of medians."""
    if len(plume.values) == len(reference.values):
        return statistics.median(p - r for p, r in zip(plume.values, reference.values, strict=True))
    return plume.median - reference.median


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"
