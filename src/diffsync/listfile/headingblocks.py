"""A heading per paper: the heading line and the lines under it, up to the next heading.

The title is the heading's text without a leading number (``### 1. Title``)
and a leading bracketed tag (``### [CVPR 2024] Title``), which is read as the
venue when it names one; a heading that is a link (``### [Title](url)``) gives
the link text.
"""

from __future__ import annotations

import re

from . import notation
from .unit import Unit, scan_links
from .unitfields import Hint

_MARK = re.compile(r"^ {0,3}#{1,6}[ \t]+")
_NUMBER = re.compile(r"\d{1,4}[.)][ \t]+")
_TAG = re.compile(r"\[(?P<tag>[^\[\]\n]{1,60})\](?!\()[ \t]*")


def heading_hint(unit: Unit, venue_in_heading: str | None = None) -> Hint | None:
    """Where the heading block's title (and a tag's venue) stand, or None for an empty heading."""
    text = unit.text
    mark = _MARK.match(text)
    if mark is None:
        return None
    end = text.find("\n")
    end = len(text) if end < 0 else end
    i = mark.end()
    closing = re.search(r"(?:[ \t]+#+)?[ \t\r]*$", text[i:end])
    j = i + closing.start() if closing else end
    number = _NUMBER.match(text, i)
    if number:
        i = number.end()
    venue = None
    tag = _TAG.match(text, i)
    if tag and notation.is_venue_or_date(tag["tag"]):
        venue = tag.span("tag")
        i = tag.end()
    for link in scan_links(text[:j]):
        if link.at[0] >= i and link.form == "link" and not notation.is_link_word(link.label):
            return Hint(title=(*link.label_at, ("heading", "link")), venue=venue, venue_in_heading=venue_in_heading)
    while j > i and text[j - 1] in " \t.":
        j -= 1
    if j <= i:
        return None
    return Hint(title=(i, j, ("heading",)), venue=venue, venue_in_heading=venue_in_heading)


__all__ = ["heading_hint"]
