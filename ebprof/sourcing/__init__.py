"""Feature layer: source targets, repeat for benchmarks, aggregate timings."""
