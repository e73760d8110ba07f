"""Fact check: the numbers, dates, amounts, references and names of a model's answer that the
source text does not contain (see :mod:`.check`)."""

from .check import KINDS, Finding, check

__all__ = ["KINDS", "Finding", "check"]
