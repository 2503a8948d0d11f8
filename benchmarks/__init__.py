"""Annotator's benchmark suite: ``python -m benchmarks`` (``make bench``).

Every scenario is measured against its bare cost (Qt and SQLite doing the same job without the
app) in the same run. This package imports nothing on purpose: ``bench_memory`` runs its bare-Qt
probe in a subprocess that must not load the app.
"""
