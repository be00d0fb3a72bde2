"""The venue sources' clients for one run, built from ``[venues]``, each with its own pace.

Documented paces: Semantic Scholar 1 request a second with a key (its
introductory rate) and one per 3 s without (anonymous calls share one pool);
OpenReview 20 a minute (its guest limit); DBLP at least 2 s apart (its FAQ
says one or two).  ``[venues] delay`` > 0 replaces all three, for a mirror or
a fake.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from ..config import VenuesSettings
from ..configvalues import source_names
from ..venuesrc.dblp import Dblp
from ..venuesrc.http import JsonHttp, Policy
from ..venuesrc.openreview import OpenReview
from ..venuesrc.records import DBLP, OPENREVIEW, SEMANTIC_SCHOLAR
from ..venuesrc.semanticscholar import SemanticScholar

PACE = {SEMANTIC_SCHOLAR: 3.0, OPENREVIEW: 3.0, DBLP: 2.0}
PACE_S2_WITH_KEY = 1.0


def pace(settings: VenuesSettings, source: str) -> float:
    """Seconds between two requests to ``source``."""
    if settings.delay > 0:
        return settings.delay
    if source == SEMANTIC_SCHOLAR and settings.semantic_scholar_key:
        return PACE_S2_WITH_KEY
    return PACE[source]


@dataclass
class Clients:
    s2: SemanticScholar | None = None
    openreview: OpenReview | None = None
    dblp: Dblp | None = None

    def _http(self) -> dict[str, JsonHttp]:
        pairs: list[tuple[str, Any]] = [(SEMANTIC_SCHOLAR, self.s2), (OPENREVIEW, self.openreview),
                                        (DBLP, self.dblp)]
        return {name: c.http for name, c in pairs if c is not None}

    def requests(self) -> dict[str, int]:
        return {name: http.requests for name, http in self._http().items()}

    def close(self) -> None:
        for http in self._http().values():
            http.close()


def open_clients(settings: VenuesSettings, transport: httpx.BaseTransport | None = None,
                 **http_options: Any) -> Clients:
    """A client for each source in ``[venues] sources``."""
    wanted = source_names(settings.sources)

    def http(source: str, name: str, headers: dict[str, str] | None = None) -> JsonHttp:
        policy = Policy(name, pace(settings, source), timeout=settings.timeout)
        return JsonHttp(policy, headers=headers, transport=transport, **http_options)

    key = {"x-api-key": settings.semantic_scholar_key} if settings.semantic_scholar_key else None
    return Clients(
        s2=SemanticScholar(settings.semantic_scholar_url, http(SEMANTIC_SCHOLAR, "Semantic Scholar", key))
        if SEMANTIC_SCHOLAR in wanted else None,
        openreview=OpenReview(settings.openreview_url, http(OPENREVIEW, "OpenReview"))
        if OPENREVIEW in wanted else None,
        dblp=Dblp(settings.dblp_url, http(DBLP, "DBLP")) if DBLP in wanted else None,
    )
