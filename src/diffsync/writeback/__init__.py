"""From decisions to bytes: accepted findings in, a diff or an atomically rewritten list out.

``edits`` plans the byte edits (the one place a fix's text is made), ``fixes``
attaches that text to findings for every command that shows it, ``verify``
reads the new bytes back before a write, ``diff`` builds the diff from the
edits, ``export`` checks and writes them, ``atomicfile`` does the safe write,
``formats`` exports JSON, CSV and BibTeX.
"""
