"""The rules: an ``Entry`` and the ``PaperRecord`` it names in, ``Finding`` values out.

``rules.compare`` decides identity (wrong or missing IDs, duplicates, links);
``fields`` compares title, authors, date and venue; ``authors``, ``venues``
and ``matching`` hold the name, venue and title-search confirmation rules.
"""
