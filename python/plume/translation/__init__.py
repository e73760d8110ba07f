"""Offline translation: Argos Translate packages, language detection, language names.

Importing this package is cheap: the Argos runtime and the detector load on first use.
"""
