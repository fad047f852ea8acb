"""The throughput and latency benchmark: `python -m bench.run` (see bench/RESULTS.md)."""
