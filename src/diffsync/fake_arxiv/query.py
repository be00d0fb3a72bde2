"""How arXiv answers one query, as a pure function of the papers it holds.

The fake server calls it per request; unit tests call it from an httpx
mock, so both see the same arXiv.  ``search_query`` is parsed in arXiv's
grouped syntax: ``AND``, ``OR``, ``ANDNOT``, parentheses, quoted phrases,
field prefixes (``ti au abs co jr rn cat id all``, ``field:(a OR b)``,
a trailing ``*`` on a word) and ``submittedDate:[YYYYMMDDHHMM TO …]``.  OR
binds loosest; AND and ANDNOT bind left to right; two terms side by side
mean AND.  Anything else is HTTP 400 ``Invalid query string``, as arXiv
answers it.  Hits are ordered by a crude relevance (how much of a field the
matched words cover, so an exact title comes first), then by insertion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Mapping, Union

from ..models import PaperRecord
from .feed import CURRENT, render_error, render_feed
from .index import TEXT_FIELDS, PaperIndex, tokens

# As lenient as arXiv's own check (arxiv-base): well-formed but nonexistent IDs pass.
_ID_FORMAT = re.compile(r"\d{4}\.\d{4,5}(v\d+)?|[a-zA-Z-]+(\.[A-Za-z]{2})?/\d{7}(v\d+)?")
_VERSIONED = re.compile(r"^(.+)v(\d+)$")
_LEXEME = re.compile(
    r"""\s*(?:
      (?P<open>\()
    | (?P<close>\))
    | (?P<range>(?:submittedDate|lastUpdatedDate):\[\s*(?P<low>\d{8,14})\s+TO\s+(?P<high>\d{8,14})\s*\])
    | (?P<fgroup>(?P<gfield>[A-Za-z]+):\()
    | (?:(?P<pfield>[A-Za-z]+):)?"(?P<phrase>[^"]*)"
    | (?:(?P<wfield>[A-Za-z]+):)?(?P<word>[^\s()"]+)
    )""",
    re.VERBOSE,
)
_OPERATORS = ("AND", "OR", "ANDNOT")
_FIELDS = TEXT_FIELDS + ("all", "cat", "id")


class QuerySyntaxError(ValueError):
    """The query is not in arXiv's syntax; arXiv answers HTTP 400."""


@dataclass(frozen=True)
class Term:
    field: str  # a prefix of _FIELDS
    text: str  # the words or phrase as given (a category or ID for cat/id)
    phrase: bool = False
    prefix: bool = False  # ``word*``


@dataclass(frozen=True)
class DateRange:
    low: datetime
    high: datetime


@dataclass(frozen=True)
class Op:
    op: str  # AND | OR | ANDNOT
    left: "Node"
    right: "Node"


Node = Union[Term, DateRange, Op]


def _stamp(digits: str) -> datetime:
    digits = digits.ljust(14, "0")
    try:
        return datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    except ValueError:
        raise QuerySyntaxError(digits) from None


def _lex(query: str) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    pos, text = 0, query.strip()
    while pos < len(text):
        m = _LEXEME.match(text, pos)
        if not m or m.end() == pos:
            raise QuerySyntaxError(text[pos:])
        pos = m.end()
        if m.group("open"):
            out.append(("(", None))
        elif m.group("close"):
            out.append((")", None))
        elif m.group("range"):
            out.append(("leaf", DateRange(_stamp(m.group("low")), _stamp(m.group("high")))))
        elif m.group("fgroup"):
            out.append(("field(", m.group("gfield")))
        elif m.group("phrase") is not None:
            out.append(("term", (m.group("pfield"), m.group("phrase"), True)))
        elif m.group("wfield") is None and m.group("word") in _OPERATORS:
            out.append(("op", m.group("word")))
        else:
            out.append(("term", (m.group("wfield"), m.group("word"), False)))
    return out


class _Parser:
    def __init__(self, lexemes: list[tuple[str, object]]) -> None:
        self.lexemes = lexemes
        self.pos = 0

    def peek(self) -> tuple[str, object] | None:
        return self.lexemes[self.pos] if self.pos < len(self.lexemes) else None

    def take(self) -> tuple[str, object]:
        lexeme = self.peek()
        if lexeme is None:
            raise QuerySyntaxError("unexpected end")
        self.pos += 1
        return lexeme

    def any_of(self, field: str | None) -> Node:
        node = self.all_of(field)
        while self.peek() == ("op", "OR"):
            self.take()
            node = Op("OR", node, self.all_of(field))
        return node

    def all_of(self, field: str | None) -> Node:
        node = self.unary(field)
        while (nxt := self.peek()) is not None and nxt[0] != ")" and nxt != ("op", "OR"):
            op = "AND"
            if nxt[0] == "op":
                op = str(self.take()[1])
            node = Op(op, node, self.unary(field))
        return node

    def unary(self, field: str | None) -> Node:
        kind, value = self.take()
        if kind in ("(", "field("):
            inner = self.any_of(_field(value) if kind == "field(" else field)  # type: ignore[arg-type]
            if self.take()[0] != ")":
                raise QuerySyntaxError("unbalanced parenthesis")
            return inner
        if kind == "leaf":
            return value  # type: ignore[return-value]
        if kind != "term":
            raise QuerySyntaxError(f"unexpected {value or kind}")
        given, text, phrase = value  # type: ignore[misc]
        name = _field(given) if given else (field or "all")
        prefix = not phrase and text.endswith("*")
        return Term(name, text.rstrip("*") if prefix else text, phrase=phrase, prefix=prefix)


def _field(name: str) -> str:
    if name not in _FIELDS:
        raise QuerySyntaxError(f"unknown field {name}")
    return name


def parse_query(query: str) -> Node:
    """The query's syntax tree; ``QuerySyntaxError`` when arXiv would reject it."""
    parser = _Parser(_lex(query))
    if parser.peek() is None:
        raise QuerySyntaxError("empty query")
    node = parser.any_of(None)
    if parser.peek() is not None:
        raise QuerySyntaxError("unbalanced parenthesis")
    return node


def evaluate(node: Node, index: PaperIndex) -> set[str]:
    """IDs of the papers matching ``node``."""
    if isinstance(node, Op):
        left = evaluate(node.left, index)
        if node.op == "AND":
            return left & evaluate(node.right, index) if left else set()
        if node.op == "ANDNOT":
            return left - evaluate(node.right, index) if left else set()
        return left | evaluate(node.right, index)
    if isinstance(node, DateRange):
        return index.submitted(node.low, node.high)
    if node.field == "cat":
        return index.categories(node.text + ("*" if node.prefix else ""))
    if node.field == "id":
        return index.ids(node.text)
    words = tuple(tokens(node.text))
    return index.words(node.field, words, phrase=node.phrase, prefix=node.prefix and bool(words))


def _leaves(node: Node) -> list[Term]:
    if isinstance(node, Op):
        return _leaves(node.left) + (_leaves(node.right) if node.op != "ANDNOT" else [])
    return [node] if isinstance(node, Term) and node.field not in ("cat", "id") else []


def _ranked(index: PaperIndex, hits: set[str], node: Node) -> list[PaperRecord]:
    """Best covered first (an exact title before a longer one holding it), then insertion order."""
    leaves = [(t.field, tuple(tokens(t.text))) for t in _leaves(node)]

    def score(arxiv_id: str) -> tuple[float, int]:
        best = max((index.coverage(arxiv_id, f, w) for f, w in leaves if w), default=0.0)
        return (-best, index.order(arxiv_id))

    return [index.papers[i] for i in sorted(hits, key=score)]


def _lookup(papers: Mapping[str, PaperRecord], ids: list[str]) -> list[PaperRecord]:
    """Papers for an id_list: unversioned = current version, ``vN`` = only if current."""
    found: dict[str, PaperRecord] = {}
    for given in ids:
        m = _VERSIONED.match(given)
        rec = papers.get(m.group(1) if m else given)
        if rec is not None and (m is None or int(m.group(2)) == rec.version):
            found[rec.arxiv_id] = rec
    return list(found.values())


def answer_query(
    papers: Mapping[str, PaperRecord] | PaperIndex,
    params: Mapping[str, str],
    *,
    dialect: str = CURRENT,
    max_page: int | None = None,
    empty_page: bool = False,
    hollow_page: bool = False,
) -> tuple[int, bytes, int]:
    """(HTTP status, Atom body, number of IDs asked) for one query, like arXiv would answer.

    ``papers`` may be a ``PaperIndex`` the caller keeps (the server does);
    a plain mapping is indexed for this one query.
    """
    id_list = params.get("id_list", "")
    query = params.get("search_query", "")
    ids = [i.strip() for i in id_list.split(",") if i.strip()]
    try:
        start = int(params.get("start", "0"))
        max_results = int(params.get("max_results", "10"))  # arXiv's silent default
    except ValueError:
        return 400, render_error("max_results must be an integer", "max_results_must_be_an_integer"), len(ids)
    for given in ids:
        if not _ID_FORMAT.search(given):
            return 400, render_error(f"incorrect id format for {given}", f"incorrect_id_format_for_{given}"), len(ids)
    if not ids and not query:
        return 400, render_error("Either a search_query or id_list must be specified for the classic API."), 0
    held = papers.papers if isinstance(papers, PaperIndex) else papers
    matches = _lookup(held, ids) if ids else list(held.values())
    if query:
        try:
            tree = parse_query(query)
        except QuerySyntaxError:
            return 400, render_error(f"Invalid query string: '{query}'"), len(ids)
        index = papers if isinstance(papers, PaperIndex) else PaperIndex(held.values())
        hits = evaluate(tree, index)
        if ids:
            hits &= {r.arxiv_id for r in matches}
        matches = _ranked(index, hits, tree)
    page = max_results if max_page is None else min(max_results, max_page)
    # empty_page: no entries, totalResults 0; hollow_page: no entries, totalResults as if
    # there were (both seen from arXiv, both transient).
    shown = [] if empty_page or hollow_page else matches[start : start + page]
    body = render_feed(
        shown, total=0 if empty_page else len(matches), start=start, max_results=max_results,
        search_query=query, id_list=id_list, dialect=dialect,
    )
    return 200, body, len(ids)
