"""Reproducible benchmarks of the lab (see bench/README.md)."""
