"""The list's own text: Markdown bytes in, a ``ParsedList`` of frozen ``Entry`` values out,
and new text written the way the list writes it.

Every field of an entry carries its exact byte span, so write-back can replace
those bytes and nothing else.  ``parse`` reads entries, ``text`` splits and
cleans author lines, ``dates`` reads and writes the dates a list uses;
``authorstyle`` writes names in an entry's own style and ``safetext`` makes
arXiv's text plain Markdown, so drift's suggestions and export's fixes agree.
"""
