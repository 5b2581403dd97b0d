"""Benchmarks: synthetic corpora and timing scripts (see bench/README.md)."""
