"""GitHub workflow commands (``::warning file=…,line=…::message``): one home for their
escaping, shared by the check's annotations and the lint's (a module light enough
for the pre-commit hook)."""

from __future__ import annotations


def escape_data(text: str) -> str:
    """A command's message: ``%``, CR and LF escaped as GitHub requires."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (file, title): also ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
