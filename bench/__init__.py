"""Performance benchmark of citebot: index throughput, ask latency, cold start, re-index, memory, growth.

Run ``citebot bench`` or ``python -m bench.run``; see bench/README.md.
"""
