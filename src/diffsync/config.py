"""Settings: command-line flags > ``DIFFSYNC_<SECTION>_<KEY>`` > config.toml > defaults.

Every key lives in a section (``[arxiv] url``); its environment variable is
``DIFFSYNC_ARXIV_URL``.  Values from the environment are converted to the
type of the default, so ``DIFFSYNC_ARXIV_DELAY=0.5`` is a float.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

from .configvalues import check_range, check_text, convert, where
from .errors import ConfigError

DEFAULT_CONFIG = "config.toml"


@dataclass(frozen=True)
class ArxivSettings:
    url: str = "https://export.arxiv.org/api/query"
    delay: float = 3.0  # seconds between requests, across all processes (arXiv ToU)
    batch_size: int = 2000  # IDs per POST; arXiv serves at most 2000 per page
    max_retries: int = 5
    backoff: float = 5.0  # first retry wait in seconds, doubled each try (plus jitter)
    max_backoff: float = 300.0
    timeout: float = 60.0  # whole request, connect to last byte; connect timeout is min(10, timeout)
    cooldown: float = 3600.0  # pause after repeated 429s, stored in the database
    contact: str = ""  # e-mail put in the User-Agent, as arXiv asks
    max_response_mb: float = 64.0  # cap on one answer's decoded body
    max_retry_after: float = 3600.0  # a longer Retry-After is ignored (normal backoff)
    max_cooldown: float = 86400.0  # the stored cooldown never lasts longer


@dataclass(frozen=True)
class DatabaseSettings:
    url: str = ""  # SQLAlchemy URL; empty = sqlite file "diffsync.db" beside the config
    busy_timeout: float = 30.0  # seconds a writer waits for another before giving up


@dataclass(frozen=True)
class ListSettings:
    path: str = "README.md"  # the curated list checked when no LIST argument is given
    max_mb: float = 64.0  # a bigger file is refused (exit 3): no list is near it, /dev/zero is
    shape: str = ""  # "" = inferred per section; else every section read as one of models.SHAPES


AUTO_MAX_AGE = -1.0  # [check] max_age = "auto"


@dataclass(frozen=True)
class CheckSettings:
    # Hours a fetched paper stays fresh, whichever list asks; 0 = fetch on every check.
    # "auto" (AUTO_MAX_AGE): 0 for `check`, a little under the schedule's period for the
    # daemon (daemon/schedule.auto_max_age), so a paper is fetched once per period.
    max_age: float = -1.0
    search: bool = True  # title-search entries without an arXiv link
    search_max_age: float = 168.0  # hours a title-search answer is reused for an unchanged entry
    search_batch: int = 50  # titles OR'ed into one search request; 1 = one search per entry
    strict: bool = False  # also report cosmetic differences (case, punctuation, diacritics)


@dataclass(frozen=True)
class ScheduleSettings:
    cron: str = "0 6 * * *"
    timezone: str = "UTC"
    interval_seconds: float = 0.0  # > 0 takes precedence over cron
    misfire_grace_time: int = 3600


@dataclass(frozen=True)
class DaemonSettings:
    # Runs kept in the run log; older ones are pruned after each daemon run and by
    # `diffsync db prune` (0 keeps every run).  Paper history and findings are never pruned.
    keep_runs: int = 5000


@dataclass(frozen=True)
class ReportSettings:
    path: str = "diffsync-report.md"
    format: str = "markdown"  # markdown | json


@dataclass(frozen=True)
class ReviewSettings:
    # Write every accept, ignore and lock to LIST.diffsync.toml beside the list (created on
    # the first decision); false keeps decisions in the database only.
    decisions_file: bool = True


@dataclass(frozen=True)
class LintSettings:
    # Rule ids or prefixes (docs/lint.md); empty select = the default rule set.
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListTarget:
    """One list of ``[[lists]]``: its path, its report and its own settings (already layered:
    defaults < config sections < the list's own keys < environment < flags)."""

    path: str  # as configured, relative to the config's folder
    report: str = ""  # empty: derived from [report] path
    check: CheckSettings = field(default_factory=CheckSettings)
    list: ListSettings = field(default_factory=ListSettings)


# The keys a [[lists]] table may set besides path and report, by the section they override.
LIST_KEYS: dict[str, tuple[str, ...]] = {
    "check": tuple(f.name for f in fields(CheckSettings)),
    "list": tuple(f.name for f in fields(ListSettings) if f.name != "path"),
}


@dataclass(frozen=True)
class VenuesSettings:
    enabled: bool = True  # ask venue sources after arXiv (see docs/venues.md)
    sources: str = "semantic_scholar,openreview,dblp"  # which, comma-separated
    semantic_scholar_url: str = "https://api.semanticscholar.org/graph/v1"
    openreview_url: str = "https://api2.openreview.net"
    dblp_url: str = "https://dblp.org"
    semantic_scholar_key: str = ""  # optional API key (x-api-key header): faster pace
    delay: float = 0.0  # seconds between requests to one source; 0 = each source's own pace
    max_age: float = 14.0  # days before a paper with no venue yet is asked again
    timeout: float = 30.0  # seconds one request may take, connect to last byte
    max_requests: int = 300  # most title searches to OpenReview or DBLP in one check; 0 = no cap


@dataclass(frozen=True)
class Settings:
    arxiv: ArxivSettings = field(default_factory=ArxivSettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    list: ListSettings = field(default_factory=ListSettings)
    check: CheckSettings = field(default_factory=CheckSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    daemon: DaemonSettings = field(default_factory=DaemonSettings)
    report: ReportSettings = field(default_factory=ReportSettings)
    review: ReviewSettings = field(default_factory=ReviewSettings)
    lint: LintSettings = field(default_factory=LintSettings)
    venues: VenuesSettings = field(default_factory=VenuesSettings)
    config_dir: str = "."  # relative paths in the config resolve against this
    database_file: str = ""  # the default SQLite file found for the list (configfind)
    lists: tuple[ListTarget, ...] = ()  # [[lists]]; with none, [list] path is the one list
    list_path_given: bool = False  # [list] path set in the config, environment or flags
    notes: tuple[str, ...] = ()  # said once on stderr by the command (e.g. which database)
    # Where each key not left at its default came from ("flags", "environment", a file):
    # a value checked late (the daemon's cron) still names its source in the error.
    origins: tuple[tuple[str, str], ...] = ()

    def origin(self, name: str) -> str:
        """Where ``section.key`` came from (``configvalues.where`` words it); "config" if unset."""
        return dict(self.origins).get(name, "config")

    @property
    def database_url(self) -> str:
        if self.database.url:
            return self.database.url
        default = self.database_file or str(Path(self.config_dir, "diffsync.db"))
        return "sqlite:///" + str(Path(default).resolve())

    def resolve(self, path: str) -> Path:
        """A path from the config, relative to the config file's folder."""
        p = Path(path).expanduser()
        return p if p.is_absolute() else Path(self.config_dir) / p

    def configured_lists(self) -> list[Path]:
        """Every configured list: ``[list] path`` (when set, or when there is no
        ``[[lists]]``), then each ``[[lists]]`` path; each once."""
        paths = [self.resolve(t.path) for t in self.lists]
        if self.list_path_given or not paths:
            paths.insert(0, self.resolve(self.list.path))
        return list(dict.fromkeys(paths))

    def target(self, list_path: str | Path) -> ListTarget | None:
        """The ``[[lists]]`` table of ``list_path``, if it has one."""
        wanted = Path(list_path).expanduser().resolve()
        return next((t for t in self.lists if self.resolve(t.path).resolve() == wanted), None)

    def for_list(self, list_path: str | Path) -> Settings:
        """These settings with ``list_path``'s own ``[[lists]]`` keys applied."""
        t = self.target(list_path)
        if t is None:
            return self
        report = replace(self.report, path=t.report) if t.report else self.report
        return replace(self, check=t.check, list=replace(t.list, path=t.path), report=report)

    def list_shapes(self) -> dict[str, str]:
        """Each ``[[lists]]`` list's shape (its own, else ``[list] shape``) by resolved path."""
        return {str(self.resolve(t.path).resolve()): t.list.shape for t in self.lists if t.list.shape}

    def report_path(self, list_path: str | Path, among: list[Path] | None = None) -> Path:
        """Where the review report of ``list_path`` goes: its own ``report``, else
        ``[report] path``; with several lists (``among``, default the configured ones),
        ``[report] path`` named after the list."""
        t = self.target(list_path)
        if t is not None and t.report:
            return self.resolve(t.report)
        base = self.resolve(self.report.path)
        configured = among if among is not None else self.configured_lists()
        if len(configured) < 2:
            return base
        wanted = Path(list_path).expanduser().resolve()
        stems = [p.stem for p in configured]
        stem = Path(list_path).stem
        if stems.count(stem) > 1:  # two README.md in different folders: number them
            same = [p.resolve() for p in configured if p.stem == stem]
            stem += f"-{same.index(wanted) + 1}" if wanted in same else ""
        return base.with_name(f"{base.stem}-{stem}{base.suffix}")


def _merge(section: Any, values: Mapping[str, Any], origin: str, prefix: str) -> Any:
    known = {f.name: f for f in fields(section)}
    changes = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{origin}: unknown key {prefix}.{key}")
        name = f"{prefix}.{key}"
        if name == "check.max_age" and isinstance(value, str) and value.strip().lower() == "auto":
            changes[key] = AUTO_MAX_AGE
            continue
        try:
            changes[key] = convert(value, getattr(section, key), name)
        except ConfigError as exc:
            raise ConfigError(f"{exc} (from {where(origin, name)})") from None
        check_range(changes[key], name, origin)
        check_text(changes[key], name, origin)
    return replace(section, **changes)


def load_settings(
    config_path: str | os.PathLike[str] | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    list_path: str | os.PathLike[str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> Settings:
    """Build settings from defaults, the config file, the environment and flags.

    ``config_path`` None means ``$DIFFSYNC_CONFIG``, else the config.toml found beside
    ``list_path`` or above it up to its repository root, else in ``cwd`` or above it up
    to its repository root (configfind); an explicit path must exist.  ``overrides`` are
    command-line flags as ``{"arxiv": {"delay": 1.0}}``; None values are skipped.
    """
    from .configfind import default_database, find_config

    environ = os.environ if environ is None else environ
    here = Path(cwd) if cwd is not None else Path.cwd()
    given = Path(list_path) if list_path is not None else None
    explicit = config_path or environ.get("DIFFSYNC_CONFIG")
    found = Path(explicit) if explicit else find_config(given, here)
    path = found or here / DEFAULT_CONFIG
    data: dict[str, Any] = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    elif explicit:
        raise ConfigError(f"{path}: config file not found")

    settings = Settings(config_dir=str(path.parent.resolve()))
    section_names = [f.name for f in fields(Settings) if f.name not in _NOT_SECTIONS]
    for name in data:
        if name not in section_names and name != "lists":
            raise ConfigError(f"{path}: unknown section [{name}]")
    for name in section_names:
        file_values = data.get(name, {})
        if not isinstance(file_values, dict):
            raise ConfigError(f"{path}: [{name}] must be a table")
        section = _layered(getattr(settings, name), name, [(file_values, str(path))],
                           environ, overrides)
        settings = replace(settings, **{name: section})
    settings = replace(settings, origins=tuple(
        (f"{name}.{f.name}", _origin_of(name, f.name, data, environ, overrides, path))
        for name in section_names for f in fields(getattr(settings, name))
        if f.name in data.get(name, {}) or f"DIFFSYNC_{name.upper()}_{f.name.upper()}" in environ
        or (overrides or {}).get(name, {}).get(f.name) is not None))
    _check_database_url(settings.database.url, settings.origin("database.url"))
    given_path = ("path" in data.get("list", {}) or "DIFFSYNC_LIST_PATH" in environ
                  or (overrides or {}).get("list", {}).get("path") is not None)
    targets = _list_targets(data.get("lists", []), data, path, environ, overrides)
    settings = replace(settings, lists=targets, list_path_given=given_path)
    if not settings.database.url:
        first = given or (settings.configured_lists()[0] if targets or given_path else None)
        db = default_database(path.parent.resolve() if path.is_file() else None, first, here)
        settings = replace(settings, database_file=str(db.path),
                           notes=(db.note,) if db.note else ())
    return settings


_SCHEDULE_KEYS = {f.name for f in fields(ScheduleSettings)}
_NOT_SECTIONS = {"config_dir", "database_file", "lists", "list_path_given", "notes", "origins"}


def _layered(section: Any, name: str, config_layers: list[tuple[Mapping[str, Any], str]],
             environ: Mapping[str, str], overrides: Mapping[str, Mapping[str, Any]] | None) -> Any:
    """``section`` with the config's layers, then the environment, then the flags applied."""
    for values, origin in config_layers:
        section = _merge(section, values, origin, name)
    env_values = {}
    for f in fields(section):
        var = f"DIFFSYNC_{name.upper()}_{f.name.upper()}"
        if var in environ:
            env_values[f.name] = environ[var]
    section = _merge(section, env_values, "environment", name)
    flag_values = {k: v for k, v in (overrides or {}).get(name, {}).items() if v is not None}
    return _merge(section, flag_values, "flags", name)


def _list_targets(tables: Any, data: Mapping[str, Any], path: Path, environ: Mapping[str, str],
                  overrides: Mapping[str, Mapping[str, Any]] | None) -> tuple[ListTarget, ...]:
    """The ``[[lists]]`` tables, each layered like the sections it overrides."""
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(f"{path}: lists must be [[lists]] tables")
    targets = []
    for n, table in enumerate(tables, start=1):
        where = f"{path} [[lists]] #{n}"
        list_path, report = table.get("path"), table.get("report", "")
        if not isinstance(list_path, str) or not list_path:
            raise ConfigError(f"{where}: path must be the list's file name")
        if not isinstance(report, str):
            raise ConfigError(f"{where}: report must be a file name")
        own: dict[str, dict[str, Any]] = {name: {} for name in LIST_KEYS}
        for key, value in table.items():
            if key in ("path", "report"):
                continue
            section = next((s for s, keys in LIST_KEYS.items() if key in keys), None)
            if section is None and key in _SCHEDULE_KEYS:
                raise ConfigError(
                    f"{where}: {key} cannot be set per list: one daemon runs every list in one pass "
                    "(a shared paper fetched once) on the one [schedule]; set it in [schedule], or run "
                    "a daemon of their own for the lists on another schedule: diffsync daemon LIST... "
                    "--cron EXPR")
            if section is None:
                allowed = ", ".join(k for keys in LIST_KEYS.values() for k in keys)
                raise ConfigError(f"{where}: unknown key {key} (a list may set path, report, {allowed})")
            own[section][key] = value

        def layered(name: str, default: Any) -> Any:
            return _layered(default, name, [(data.get(name, {}), str(path)), (own[name], where)],
                            environ, overrides)

        targets.append(ListTarget(
            path=list_path, report=report, check=layered("check", CheckSettings()),
            list=layered("list", ListSettings())))
    return tuple(targets)


def _origin_of(section: str, key: str, data: Mapping[str, Any], environ: Mapping[str, str],
               overrides: Mapping[str, Mapping[str, Any]] | None, path: Path) -> str:
    """Which layer set ``section.key``: "flags", "environment" or the config file."""
    if (overrides or {}).get(section, {}).get(key) is not None:
        return "flags"
    if f"DIFFSYNC_{section.upper()}_{key.upper()}" in environ:
        return "environment"
    return str(path)


def _check_database_url(url: str, origin: str) -> None:
    """Parse the database URL before anything runs: a bad one is a config error (exit 2)."""
    if not url:
        return  # the default SQLite file beside the config
    from .dburl import display_url, url_problem  # imports SQLAlchemy: only when a URL is set

    problem = url_problem(url)
    if problem:
        raise ConfigError(f"config: database.url {display_url(url)} {problem} "
                          f"(from {where(origin, 'database.url')})")
