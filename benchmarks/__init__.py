"""Benchmarks and the load test of issue 14: see docs/benchmarks.md (``python -m benchmarks``)."""
