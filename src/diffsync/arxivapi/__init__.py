"""Talking to arXiv: arXiv IDs (or a title query) in, frozen ``PaperRecord`` values out.

``client`` is the only code that speaks HTTP to arXiv: POST batches, paging,
retries and bounds; ``pacing`` spaces requests across processes; ``atom``
reads both Atom dialects.  The ID syntax it validates and canonicalises with
is ``diffsync.arxivid``: the list reader needs it too, without HTTP.
"""
