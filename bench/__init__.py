"""Benchmarks at practice scale; each module measures a few named metrics against a baseline."""
