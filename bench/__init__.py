"""Benchmarks: `make bench` (or `python3 tasks.py bench`). Each prints a table and writes JSON to results/."""
