"""Plume core: plain Python, no LibreOffice. The adapter in ``plume_lo`` is the only UNO code."""

__version__ = "0.1.0"
