"""Benchmarks behind `make bench`; modules run as `python -m bench.NAME` from the root."""
