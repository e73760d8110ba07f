"""Benchmarks: scripts that print tables of measurements (never timed assertions in tests)."""
