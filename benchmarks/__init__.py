"""Reproducible performance measurements of CalfDesk with 100,000 patients: ``python -m benchmarks``.

What each measure means, how to run them and the results so far: benchmarks/README.md.
"""
