"""Benchmarks: each prints the project's figure beside a raw baseline measured in the same run."""
