"""From decisions to bytes: accepted findings in, a diff or an atomically rewritten list out.

``planning`` makes the byte edits, one fixer per kind (the one place a fix's
text is made), ``edits`` holds and applies them, ``fixes`` attaches that text
to findings for every command that shows it, ``verify`` reads the new bytes
back before a write, ``diff`` shows the edits as a unified diff, ``export``
checks and writes them, ``atomicfile`` does the safe write, ``formats``
exports JSON, CSV and BibTeX.
"""
