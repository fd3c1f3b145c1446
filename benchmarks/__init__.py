"""Benchmarks of the planner: a seeded instance generator, a greedy and a PuLP/CBC baseline, and the runner that
measures them side by side (`python -m benchmarks.run --sizes S M`)."""
