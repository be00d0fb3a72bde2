"""Venue sources: Semantic Scholar, OpenReview and DBLP clients, each as careful as the arXiv one.

Each client paces itself, bounds every answer, retries, honours
``Retry-After`` and stops for the run after repeated 429s (``SourceDown``).
They return plain ``SourceRecord`` values; which record is the paper and
which venue it names is decided in ``venuecheck``.
"""
