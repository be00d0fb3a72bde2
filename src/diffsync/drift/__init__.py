"""The rules: a ``ListEntry`` and the ``PaperRecord`` it names in, ``Finding`` values out."""
