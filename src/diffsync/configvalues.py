"""A setting's value: converted from TOML or environment text to its default's type, and
checked against its bounds, with errors that name where the value came from."""

from __future__ import annotations

import math
from typing import Any

from .errors import ConfigError
from .models import SHAPES


def convert(value: Any, default: Any, name: str) -> Any:
    target = type(default)
    if target is tuple:  # a list of names: a TOML array, or "A,B" from the environment
        if isinstance(value, str):
            return tuple(v.strip() for v in value.split(",") if v.strip())
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return tuple(v.strip() for v in value if v.strip())
        raise ConfigError(f"config: {name} must be a list of names, got {value!r}")
    if isinstance(value, target) and not (target is int and isinstance(value, bool)):
        return value
    try:
        if target is bool:
            if isinstance(value, str) and value.strip().lower() in {"1", "true", "yes", "on"}:
                return True
            if isinstance(value, str) and value.strip().lower() in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(value)
        if target is float and isinstance(value, (int, str)):
            return float(value)
        if target is int and isinstance(value, str):
            return int(value)
        if target is int and isinstance(value, float) and value.is_integer():
            return int(value)  # 100.0 is 100; 1.5 is not silently 1
        if target is str:
            return str(value)
    except ValueError:
        pass
    raise ConfigError(f"config: {name} must be {target.__name__}, got {value!r}")


# Inclusive (low, high) bounds of numeric keys; every float must also be finite
# (a nan delay compares false with everything: no pacing at all).  Every key
# has an upper bound: 1e300 seconds would pass "at least 0" and then overflow
# a timer or a datetime far from here.  config.toml names each bound.
BOUNDS: dict[str, tuple[float, float]] = {
    "arxiv.delay": (0, 3600.0),
    "arxiv.batch_size": (1, 2000),  # arXiv serves at most 2000 entries per page
    "arxiv.max_retries": (0, 100),
    "arxiv.backoff": (0, 3600.0),
    "arxiv.max_backoff": (0, 86400.0),
    "arxiv.timeout": (0.001, 3600.0),
    "arxiv.cooldown": (0, 86400.0),
    "database.busy_timeout": (0, 3600.0),
    "list.max_mb": (0.001, 4096.0),
    "check.max_age": (0, 87600.0),  # hours: ten years
    "check.search_max_age": (0, 87600.0),
    "arxiv.max_response_mb": (1, 4096),
    "arxiv.max_retry_after": (0, 86400),
    "arxiv.max_cooldown": (0, 30 * 86400),
    "check.search_batch": (1, 200),  # 10 candidates per title, at most 2000 per page
    "schedule.interval_seconds": (0, 366 * 86400.0),
    "schedule.misfire_grace_time": (1, 366 * 86400),
    "daemon.keep_runs": (0, 10**9),
    "venues.delay": (0, 3600.0),
    "venues.max_age": (0, 3650.0),  # days: ten years
    "venues.timeout": (0.001, 3600.0),
    "venues.max_requests": (0, 1_000_000),
}
VENUE_SOURCES = ("semantic_scholar", "openreview", "dblp")

# The command-line flag of a key, to name it in an error.
FLAGS: dict[str, str] = {
    "arxiv.url": "--arxiv-url",
    "list.shape": "--shape",
    "arxiv.delay": "--delay",
    "database.url": "--database-url",
    "check.max_age": "--max-age",
    "schedule.cron": "--cron",
    "schedule.interval_seconds": "--interval",
}


def where(origin: str, name: str) -> str:
    """Where the value of key ``name`` came from, for an error message."""
    if origin == "environment":
        return "environment variable DIFFSYNC_" + name.replace(".", "_").upper()
    if origin == "flags":
        return "flag " + FLAGS.get(name, name)
    section, _, key = name.partition(".")
    return f"{origin} [{section}] {key}"


def check_range(value: Any, name: str, origin: str = "config") -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    low, high = BOUNDS.get(name, (-math.inf, math.inf))
    if not math.isfinite(value) or not low <= value <= high:
        span = f"at least {low:g}" if high == math.inf else f"between {low:g} and {high:g}"
        raise ConfigError(f"config: {name} must be a number {span}, got {value!r} "
                          f"(from {where(origin, name)})")


def check_text(value: Any, name: str, origin: str) -> None:
    """The contact and the key go into HTTP headers: printable ASCII only (CR/LF would split them).
    A list shape is one the parser reads."""
    if name == "list.shape" and value not in ("", *SHAPES):
        raise ConfigError(f"config: list.shape must be one of {', '.join(SHAPES)} (or empty to infer it), "
                          f"got {value!r} (from {where(origin, name)})")
    if name in ("arxiv.contact", "venues.semantic_scholar_key") and isinstance(value, str) and value:
        if not (value.isascii() and value.isprintable()):
            what = "an e-mail address" if name == "arxiv.contact" else "an API key"
            raise ConfigError(f"config: {name} must be printable ASCII ({what}), "
                              f"got {value!r} (from {where(origin, name)})")
    if name.startswith("venues.") and name.endswith("_url") and isinstance(value, str):
        if not value.startswith(("http://", "https://")):
            raise ConfigError(f"config: {name} must be an http:// or https:// URL, got {value!r} "
                              f"(from {where(origin, name)})")
    if name == "venues.sources" and isinstance(value, str):
        unknown = [s for s in source_names(value) if s not in VENUE_SOURCES]
        if unknown:
            raise ConfigError(f"config: venues.sources: unknown source {unknown[0]!r}; "
                              f"use any of {', '.join(VENUE_SOURCES)} (from {where(origin, name)})")


def source_names(sources: str) -> list[str]:
    """``[venues] sources`` as a list: "semantic_scholar, dblp" -> ["semantic_scholar", "dblp"]."""
    return [s.strip().lower() for s in sources.split(",") if s.strip()]
