"""From decisions to bytes: accepted findings in, a diff or an atomically rewritten list out.

``edits`` plans the byte edits (the one place a fix's text is made),
``authorstyle`` writes names in the entry's own style, ``export`` checks and
writes them, ``atomicfile`` does the safe write, ``formats`` exports
JSON, CSV and BibTeX.
"""
