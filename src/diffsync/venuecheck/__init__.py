"""Venue evidence: which venue each paper was published at, from Semantic Scholar, OpenReview and DBLP.

``gather.gather`` asks the sources what is due and decides per paper
(``evidence``); ``findings.venue_findings`` turns the evidence into ``venue``
findings.  Import the modules themselves: this package loads nothing, so the
fix code that reads a finding's source does not load the database stack.
"""
