"""What a bit of list text is: a link word, a venue or date, a list of names.

The field reader (``unitfields``) asks these to tell a title from a tag, a
venue from a title, and authors from either.  Venue names come from their one
home, ``venuenames``; the words here are only those lists use beside them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .. import venuenames

# Labels of links that are not the paper's title (compared on the first word).
_LINK_WORDS = frozenset("""
paper papers pdf arxiv abs abstract code codes github gitlab git website web webpage page project
projects homepage home video videos demo demos slide slides blog link links model models dataset
datasets data poster supp supplementary bibtex openreview html official unofficial pytorch tensorflow
tf jax keras doi repo repository talk youtube twitter huggingface hf colab notebook benchmark
leaderboard zhihu ppt news tutorial site more details here this openaccess thecvf cvf ieee acm
springer scholar semantic google download weights checkpoint checkpoints media press reddit
medium summary report tech technical review reviews discussion thread hub spaces space
""".split())
_WORDS = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)
_ID_LIKE = re.compile(r"^\s*(?:arxiv\s*:?\s*)?\d{4}\.\d{4,5}(?:v\d+)?\s*$", re.IGNORECASE)

# Venue-ish words lists write that venuenames does not name as venues.
_EXTRA_VENUES = ("arxiv", "preprint", "workshop", "conference", "journal", "findings", "openreview", "corr",
                 "biorxiv", "medrxiv", "ssrn", "iros", "rss", "ral", "ra-l", "www", "sigir", "cikm", "wsdm",
                 "icde", "ecai", "coling", "eacl", "tacl", "aacl", "lrec", "conll", "tog", "tvcg", "tnnls",
                 "neurocomputing", "nature", "science", "pnas", "cell", "iclr", "icml", "nips", "tpami",
                 "mm", "accv", "icip", "icme", "iccvw", "cvprw", "eccvw", "siggraph", "eurographics",
                 "submitted", "submission", "accepted", "oral", "spotlight", "highlight", "tmlr", "jmlr",
                 "icra", "corl", "hri", "tro", "t-ro", "ijrr", "aistats", "uai", "colt", "sdm", "icdm",
                 "naacl", "emnlp", "acl", "aaai", "ijcai", "kdd", "tkde", "nature communications")


@lru_cache(maxsize=1)
def _venue_re() -> re.Pattern[str]:
    words = {w for spellings in venuenames.VENUES.values() for w in spellings if len(w) <= 14}
    words |= {w.lower() for w in venuenames.VENUES if len(w) <= 14}
    words |= set(_EXTRA_VENUES)
    alternatives = "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True))
    # A venue word stands alone or glued to a year ("Arxiv2024", "CVPR'24").
    return re.compile(rf"(?<![^\W\d_])(?:{alternatives})(?=$|[^a-z]|\d)", re.IGNORECASE)


_MONTH = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")
_DATEISH = re.compile(
    rf"^[\s(\[]*(?:(?:19|20)\d\d(?:[-/.]\d{{1,2}}(?:[-/.]\d{{1,2}})?)?|{_MONTH},?\s*(?:\d{{1,2}},?\s*)?(?:19|20)\d\d"
    rf"|\d{{1,2}}\s+{_MONTH}\s+(?:19|20)\d\d)[\s)\].,]*$",
    re.IGNORECASE)
_YEARISH = re.compile(r"(?:19|20)\d\d|['’]\s?\d\d\b")


def is_link_word(label: str) -> bool:
    """A link label that names the kind of link (Paper, pdf, Code, 📄 Paper, a badge), not a title."""
    words = [w.lower() for w in _WORDS.findall(label)]
    if not words or _ID_LIKE.match(label) or label.strip().lower().startswith(("http://", "https://", "www.")):
        return True
    while len(words) > 1 and words[-1] in ("yet", "not", "soon", "coming", "released"):
        words.pop()  # "Code (not yet)", "Code (coming soon)"
    # Two words at most: "Project Page", "PyTorch Code"; "Video Diffusion Models" is a title.
    return len(words) <= 2 and (words[0] in _LINK_WORDS or words[-1] in _LINK_WORDS)


def is_venue_or_date(text: str) -> bool:
    """``(CVPR 2023)``, ``NeurIPS, 2023``, ``ICCV' 17``, ``arXiv, Oct 2023``, ``Arxiv2024``, ``2015``."""
    text = text.strip(" \t*_[]().,:;")
    if not text or len(text) > 60:
        return False
    if _DATEISH.match(text):
        return True
    found = _venue_re().search(text)
    if found is None:
        return False
    # A venue tag is short: a title that mentions "workshop" is not a venue.
    return len(_WORDS.findall(text)) <= 6


def names_venue(text: str | None) -> bool:
    """The slot names a venue, not only a date or a year."""
    return bool(text) and _venue_re().search(text or "") is not None


def has_year(text: str) -> bool:
    return _YEARISH.search(text) is not None


_PARTICLES = frozenset("de da del della der di du la le van von den ter bin al el dos das y zu".split())
_PAREN = re.compile(r"\([^()]*\)")
_ET_AL = re.compile(r"\bet\.?\s*al\b\.?", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*", re.IGNORECASE)


def _is_name(part: str) -> bool:
    words = part.replace("\u00a0", " ").split()
    if not 1 <= len(words) <= 5:
        return False
    capitals = 0
    for w in words:
        if w.lower() in _PARTICLES:
            continue
        if any(c.isdigit() for c in w) or not w[0].isalpha():
            return False
        if w[0].isupper():
            capitals += 1
        elif not (len(w) <= 2 and w.endswith(".")):
            return False
    return capitals >= 1


def names(text: str) -> tuple[int, bool] | None:
    """``(how many names, et al.)`` when ``text`` is a list of people's names, else None.

    Affiliations in parentheses are allowed (``Name (Affiliation) et al.``); one
    name alone must be two or three words or end in "et al.", so a short title is
    not taken for a person.
    """
    plain = _PAREN.sub(" ", text).replace("*", " ").replace("<br>", " ").replace("<br />", " ")
    plain = plain.strip(" \t.,;")
    et_al = bool(_ET_AL.search(plain))
    plain = _ET_AL.sub(" ", plain).strip(" \t.,;")
    if not plain or is_venue_or_date(plain):
        return None
    parts = [p.strip(" .") for p in _SPLIT.split(plain) if p.strip(" .")]
    if not parts or not all(_is_name(p) for p in parts):
        return None
    if len(parts) == 1 and not et_al and not 2 <= len(parts[0].split()) <= 3:
        return None
    return len(parts), et_al


__all__ = ["has_year", "is_link_word", "is_venue_or_date", "names", "names_venue"]
