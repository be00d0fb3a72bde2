"""Reading the list: Markdown bytes in, a ``ParsedList`` of frozen ``Entry`` values out.

Every field of an entry carries its exact byte span, so write-back can replace
those bytes and nothing else.  ``parse`` reads entries, ``text`` splits and
cleans author lines, ``dates`` reads the dates a list writes.
"""
