"""Benchmarks: `make bench`. Each prints its time beside a baseline measured in the same run."""
