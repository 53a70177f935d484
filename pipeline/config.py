"""Pipeline settings: one place that reads the environment, `.env` and `pyproject.toml` `[tool.mlentory]`.

Every setting has a default here, may be set in `[tool.mlentory]`, and may be overridden by the
variable `MLENTORY_<NAME>` (upper case). A few settings follow the names their ecosystems already
use (`HF_HUB_OFFLINE`, `HF_ENDPOINT`, `HF_TOKEN`, `NEO4J_URI`, ...). Variables come from the
environment, else from the project's `.env` file (python-dotenv's format: `NAME=value` lines), else
`[tool.mlentory]`, else the default. Nothing else in the package reads `os.environ`.

The source is sticky: a `doit` run records the source variables its environment sets (`HF_HUB_OFFLINE`,
the snapshot folders, the Hub endpoint and listing filters; never a credential) in `.env`
(`record_source`), so the commands after `HF_HUB_OFFLINE=1 doit` (`doit`, `doit status`, `doit ui`,
`doit search`) use the same source without repeating it; a value given in the environment still wins,
and a run records it in turn.
"""

from __future__ import annotations

import os
import re
import tomllib
from typing import Iterable
from urllib.parse import unquote, urlsplit, urlunsplit
from dataclasses import dataclass, field, fields
from functools import cached_property, lru_cache
from pathlib import Path

from pipeline.errors import SettingsError
from pipeline.paths import Paths
from pipeline.runs.workers import requested_workers

DEFAULT_HF_ENDPOINT = "https://huggingface.co"
DEFAULT_ARXIV_ENDPOINT = "https://export.arxiv.org/api/query"
DEFAULT_OPENML_ENDPOINT = "https://www.openml.org"
# the bioimage.io collection as its website serves it: collection.json and each resource's rdf.yaml
DEFAULT_BIOIMAGEIO_ENDPOINT = "https://bioimage-io.github.io/collection-bioimage-io"
# The JSON Schemas records must satisfy: package data (the top-level schemas/ is a link to them), so an
# installed package finds them as well as a checkout does.
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    root: Path
    hf_offline: bool = False
    # URLs may hold credentials: connections use them as given, anything shown uses redact_url
    hf_endpoint: str = field(default=DEFAULT_HF_ENDPOINT, repr=False)
    hf_token: str | None = field(default=None, repr=False)
    hf_limit: int = 100
    hf_filter: tuple[str, ...] = ()
    hf_author: str | None = None
    hf_search: str | None = None
    hf_fetch_readme: bool = True
    hf_max_age_hours: float = 24.0
    hf_timeout_s: float = 30.0
    # Harvest the models a file names (one id a line, `author:NAME` for all of an account's models,
    # `#` comments) instead of listing the Hub's newest; a path relative to the project root.
    hf_model_list: str | None = None
    # Offline source: the bundled snapshot unless pointed at another folder of the same layout.
    hf_snapshot_dir: str | None = None
    # Load targets. Unset URIs select the embedded engines under data/ (see pipeline/load/).
    neo4j_uri: str | None = field(default=None, repr=False)
    neo4j_user: str | None = None
    neo4j_password: str | None = field(default=None, repr=False)
    neo4j_database: str | None = None
    elasticsearch_url: str | None = field(default=None, repr=False)
    elasticsearch_api_key: str | None = field(default=None, repr=False)
    elasticsearch_user: str | None = None
    elasticsearch_password: str | None = field(default=None, repr=False)
    elasticsearch_index: str = "mlentory-models"
    load_batch_size: int = 1000
    # Models whose card is only the model-card template or nearly empty (cardFlags) are searchable
    # unless this is off; they stay in the graph, the RDF and the normalized records either way.
    search_thin_cards: bool = True
    # Per-model assets are split into this many shards (pipeline/shards.py); 256 suits ~2M models.
    shards: int = 256
    # An incremental live harvest reads only models modified since the last one; a full listing
    # (which also notices models deleted upstream) runs when the last one is older than this.
    hf_full_listing_hours: float = 168.0
    # Above this share of quarantined records, normalization fails instead of publishing a thin catalog.
    max_quarantine_fraction: float = 0.5
    # ... judged per shard, once a shard has at least this many records.
    quarantine_min_records: int = 20
    # A normalized shard's recent history file holds at most this many ended versions; past that they
    # move to its archive file, so an update rewrites a bounded file, not every version ever kept.
    history_recent_versions: int = 256
    # Enrichment (datasets, papers): entries fetched once are reused; a live run re-fetches the ones
    # older than this, so edits upstream arrive without re-fetching everything every day.
    enrichment_refresh_hours: float = 720.0
    # Base models a harvested model names but the harvest did not hold are fetched, and their own bases,
    # this many steps up (0: keep them as stubs known only by id).
    base_model_depth: int = 3
    arxiv_endpoint: str = field(default=DEFAULT_ARXIV_ENDPOINT, repr=False)
    arxiv_batch_size: int = 50  # ids per request
    arxiv_delay_s: float = 3.0  # between requests, as arXiv's API terms ask
    # Offline source of arXiv responses: the bundled snapshot unless pointed at another folder.
    arxiv_snapshot_dir: str | None = None
    # OpenML (flows, their runs' evaluations, datasets) and the bioimage.io model zoo: live endpoints,
    # or, offline, the bundled snapshots unless pointed at other folders of the same layout.
    openml_endpoint: str = field(default=DEFAULT_OPENML_ENDPOINT, repr=False)
    openml_snapshot_dir: str | None = None
    openml_limit: int = 100  # flows to harvest live, newest first; 0 = all
    bioimageio_endpoint: str = field(default=DEFAULT_BIOIMAGEIO_ENDPOINT, repr=False)
    bioimageio_snapshot_dir: str | None = None
    # one platform from its snapshot while the others are live (HF_HUB_OFFLINE makes every one offline)
    openml_offline: bool = False
    bioimageio_offline: bool = False
    # Where the catalog's RDF IRIs live (models, datasets, papers...): see pipeline/transform/iris.py.
    iri_base: str = "https://w3id.org/mlentory/"
    # Record each task's peak resident memory in its metadata (for benchmarks). It restarts the doit
    # worker's high-water mark at every task, so an outside reading of the worker's maximum RSS
    # (wait4, /usr/bin/time) then covers only its last task: off unless asked for.
    task_peak_memory: bool = False
    # A task of the whole catalog whose input files and previous outputs hold more than this many MiB runs
    # in a fresh process (pipeline/runs/fresh_process.py), not in its doit worker: 0 every one, inf none.
    fresh_process_above_mib: float = 1024.0
    # A `doit` run started while another run holds the project's run lock waits this many seconds
    # for it to end (0: refuse at once with one line naming the run in progress; inf: wait for ever).
    run_wait: float = 0.0
    # Worker processes of a `doit` run whose command line has no `-n`: "auto" is one per CPU this process
    # may use, at most one per 1.5 GiB of its memory (pipeline/runs/workers.py); 1: doit's own process only.
    workers: str = "auto"

    def model_list_path(self) -> Path | None:
        return (self.root / self.hf_model_list) if self.hf_model_list else None

    def model_list_digest(self) -> str:
        """The model list's content (editing the list changes which models a harvest returns)."""
        import hashlib
        try:
            return hashlib.sha256(self.model_list_path().read_bytes()).hexdigest()[:16]
        except OSError:
            return "missing"

    @cached_property
    def paths(self) -> Paths:
        """Where the project keeps what is not an asset output (pipeline/paths.py)."""
        return Paths(self.root)

    @property
    def data_dir(self) -> Path:
        return self.paths.data

    @cached_property
    def shard_labels(self) -> list[str]:
        from pipeline.shards import shard_labels
        return shard_labels(self.shards)

    def secrets(self) -> tuple[str, ...]:
        """Every credential these settings hold (tokens, passwords, the secret parts of URLs), for
        masking in text; values shorter than 4 characters are left out (masking them would mangle
        the text, and the URL redaction still removes them from URLs)."""
        found = [self.hf_token, self.neo4j_password, self.elasticsearch_password, self.elasticsearch_api_key]
        for url in (self.hf_endpoint, self.arxiv_endpoint, self.neo4j_uri, self.elasticsearch_url,
                    self.openml_endpoint, self.bioimageio_endpoint):
            found += _url_secrets(url)
        return tuple(sorted({s for s in found if s and len(s) >= 4}, key=len, reverse=True))

    def redact(self, text: str) -> str:
        """Text safe to print or store: URLs redacted, these settings' secrets masked."""
        return redact_text(text, self.secrets())

    def hf_harvest_identity(self) -> dict:
        """What decides which models a harvest returns: a change here makes the harvest stale."""
        listed = {"model_list": self.model_list_digest()} if self.hf_model_list else {}
        if self.hf_offline:
            return {"source": "snapshot", "dir": self.hf_snapshot_dir, **listed}
        return {**listed,
            "source": "hub",
            "endpoint": redact_url(self.hf_endpoint),
            "limit": self.hf_limit,
            "filter": list(self.hf_filter),
            "author": self.hf_author,
            "search": self.hf_search,
            "readme": self.hf_fetch_readme,
        }


    def platform_offline(self, platform: str) -> bool:
        """Does this platform read its snapshot? (All do offline; MLENTORY_<PLATFORM>_OFFLINE=1 one alone.)"""
        return self.hf_offline or bool(getattr(self, f"{platform}_offline", False))

    def platform_identity(self, platform: str) -> dict:
        """What decides which records a platform's harvest returns (OpenML, bioimage.io); the whole
        pipeline is offline with HF_HUB_OFFLINE=1 (or MLENTORY_OFFLINE=1)."""
        if self.platform_offline(platform):
            return {"source": "snapshot", "dir": getattr(self, f"{platform}_snapshot_dir")}
        identity = {"source": "live", "endpoint": redact_url(getattr(self, f"{platform}_endpoint"))}
        return {**identity, "limit": self.openml_limit} if platform == "openml" else identity


_TARGET_VARIABLES = ("neo4j_uri", "neo4j_user", "neo4j_password", "neo4j_database", "elasticsearch_url",
                     "elasticsearch_api_key", "elasticsearch_user", "elasticsearch_password")


# Query parameters that carry credentials: names ending in one of these words once lower-cased
# and stripped of separators (`token`, `access_token`, `api_key`, `X-Amz-Signature`, ...).
_SECRET_PARAM_ENDINGS = ("token", "key", "secret", "password", "passwd", "pwd", "signature", "sig",
                         "credential", "credentials", "auth", "authorization", "session", "sessionid")


def _secret_param(name: str) -> bool:
    plain = re.sub(r"[^a-z0-9]", "", unquote(name).lower())
    return plain.endswith(_SECRET_PARAM_ENDINGS)


# Anything in free text that looks like a URL (a traceback's "for url '...'", a retry line, ...).
_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>`]+")
_MASK = "***"


def redact_url(url: str) -> str:
    """A URL safe to print, store or fingerprint: its user:password@ part and every query parameter
    whose name says it carries a credential are removed. The one place URLs lose their secrets:
    connections use the setting itself, everything shown or written uses this."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            netloc = netloc.rpartition("@")[2]
        query = parts.query
        if query:
            kept = [pair for pair in query.split("&") if not _secret_param(pair.partition("=")[0])]
            query = "&".join(kept)
        return urlunsplit(parts._replace(netloc=netloc, query=query))
    except ValueError:  # not parseable as a URL: show nothing of it rather than a secret
        return "<unparseable URL>"


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Free text (an error message, a traceback, captured output) with every URL in it redacted and
    every known secret value masked."""
    if not text:
        return text
    text = _URL_IN_TEXT.sub(lambda match: redact_url(match.group(0)), text)
    for secret in sorted(set(secrets), key=len, reverse=True):
        text = text.replace(secret, _MASK)
    return text


def redact_data(value, secrets: Iterable[str] = ()):
    """`redact_text` applied to every string in a JSON-like value (metadata, receipts)."""
    secrets = tuple(secrets)
    if isinstance(value, str):
        return redact_text(value, secrets)
    if isinstance(value, dict):
        return {redact_data(k, secrets): redact_data(v, secrets) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_data(v, secrets) for v in value]
    return value


def _url_secrets(url: str | None) -> list[str]:
    """The credential parts of a URL: its password (or a user name standing alone, as tokens do) and
    the values of credential query parameters."""
    if not url:
        return []
    try:
        parts = urlsplit(url)
    except ValueError:
        return [url]
    found = []
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    if userinfo:
        user, _, password = userinfo.partition(":")
        found += [userinfo, unquote(userinfo)]
        found += [password, unquote(password)] if password else [user, unquote(user)]
    for pair in parts.query.split("&") if parts.query else []:
        name, _, value = pair.partition("=")
        if value and _secret_param(name):
            found += [value, unquote(value)]
    return found


def _coerce(name: str, raw, default):
    """Convert a pyproject or environment value to the type of the setting's default."""
    try:
        if isinstance(default, bool):
            return raw if isinstance(raw, bool) else str(raw).strip().lower() in _TRUE
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        if isinstance(default, tuple):
            items = raw if isinstance(raw, (list, tuple)) else str(raw).split(",")
            return tuple(str(i).strip() for i in items if str(i).strip())
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"setting {name}={raw!r} is not a valid {type(default).__name__}") from exc
    return None if raw in ("", None) else str(raw)


def _pyproject_settings(root: Path) -> dict:
    return pyproject_tool(root, "mlentory")


def pyproject_tool(root: Path, name: str) -> dict:
    """`[tool.NAME]` of the project's pyproject.toml ({} without the file or the table)."""
    try:
        text = (root / "pyproject.toml").read_bytes()
    except FileNotFoundError:
        return {}
    return dict(_parsed_pyproject(text).get(name, {}))


@lru_cache(maxsize=8)
def _parsed_pyproject(text: bytes) -> dict:
    """`[tool]` of a pyproject.toml's bytes: a doit worker loads the settings for every task it runs, and
    parsing the file was 2 of the 3 ms that took (reading it is 20 us)."""
    return tomllib.loads(text.decode("utf-8")).get("tool", {})


# What decides where the data comes from; a run records those its environment sets in `.env`.
SOURCE_VARIABLES = ("HF_HUB_OFFLINE", "MLENTORY_OFFLINE", "MLENTORY_OPENML_ENDPOINT", "MLENTORY_OPENML_SNAPSHOT_DIR",
                    "MLENTORY_OPENML_LIMIT", "MLENTORY_OPENML_OFFLINE", "MLENTORY_BIOIMAGEIO_OFFLINE", "MLENTORY_BIOIMAGEIO_ENDPOINT", "MLENTORY_BIOIMAGEIO_SNAPSHOT_DIR",
                    "HF_ENDPOINT", "MLENTORY_HF_SNAPSHOT_DIR", "MLENTORY_ARXIV_SNAPSHOT_DIR",
                    "MLENTORY_ARXIV_ENDPOINT", "MLENTORY_HF_LIMIT", "MLENTORY_HF_FILTER", "MLENTORY_HF_AUTHOR",
                    "MLENTORY_HF_SEARCH", "MLENTORY_HF_FETCH_README")
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")
_PLAIN_VALUE = re.compile(r"^[A-Za-z0-9_./:@,+=-]*$")


def _env_value(raw: str) -> str:
    """A `.env` value: "double quoted" (backslash escapes), 'single quoted' (literal), or bare up to a ` #`."""
    if raw[:1] == '"':
        end = raw.find('"', 1)
        while end > 0 and raw[end - 1] == "\\":
            end = raw.find('"', end + 1)
        body = raw[1:end] if end > 0 else raw[1:]
        return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)
    if raw[:1] == "'":
        end = raw.find("'", 1)
        return raw[1:end] if end > 0 else raw[1:]
    return re.split(r"\s+#", raw, maxsplit=1)[0].strip()


def read_env_file(root: Path | str) -> dict[str, str]:
    """The variables of the project's `.env` file (none when it does not exist or cannot be read)."""
    try:
        text = Paths(Path(root)).env_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    values = {}
    for line in text.splitlines():
        match = _ENV_LINE.match(line)
        if match and not line.lstrip().startswith("#"):
            values[match.group(1)] = _env_value(match.group(2))
    return values


def _env_quote(value: str) -> str:
    if _PLAIN_VALUE.match(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def record_source(root: Path | str, environ: dict | None = None) -> tuple[list[str], list[str]]:
    """Write the source variables the environment sets into the project's `.env`, where they differ from
    it; other lines of the file stay as they are. Returns (`NAME=value` recorded, names left out because
    their value holds a credential)."""
    env = os.environ if environ is None else environ
    path = Paths(Path(root)).env_file
    current = read_env_file(root)
    changed, secret = {}, []
    for name in SOURCE_VARIABLES:
        if name not in env or current.get(name) == env[name]:
            continue
        if redact_url(env[name]) != env[name] and "://" in env[name]:
            secret.append(name)  # a URL with a password or token stays out of files
            continue
        changed[name] = env[name]
    if not changed:
        return [], secret
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else [
        "# Project settings read by every doit command (pipeline/config.py); the environment overrides them.",
        "# A doit run records here the source variables its environment sets (HF_HUB_OFFLINE, ...)."]
    left = dict(changed)
    for index, line in enumerate(lines):
        match = _ENV_LINE.match(line)
        if match and not line.lstrip().startswith("#") and match.group(1) in left:
            name = match.group(1)
            lines[index] = f"{name}={_env_quote(left.pop(name))}"
    lines += [f"{name}={_env_quote(value)}" for name, value in left.items()]
    staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    staging.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(staging, path)
    return [f"{name}={value}" for name, value in changed.items()], secret


def load_settings(root: Path | str | None = None, environ: dict | None = None) -> Settings:
    """Settings for the project at `root` (default: the current directory, where doit runs): the
    environment (`environ`, default os.environ) over the project's `.env` over `[tool.mlentory]`."""
    root = Path(root or os.getcwd()).resolve()
    env = {**read_env_file(root), **(os.environ if environ is None else environ)}
    values: dict = {"root": root}
    table = _pyproject_settings(root)
    for f in fields(Settings):
        if f.name == "root":
            continue
        default = f.default
        raw = table.get(f.name, default)
        raw = env.get(f"MLENTORY_{f.name.upper()}", raw)
        values[f.name] = _coerce(f.name, raw, default) if raw is not default else default
    values["hf_offline"] = _coerce("HF_HUB_OFFLINE", env.get("HF_HUB_OFFLINE", values["hf_offline"]), False)
    # one switch for every platform: HF_HUB_OFFLINE (huggingface_hub's name, kept) or MLENTORY_OFFLINE
    values["hf_offline"] = values["hf_offline"] or _coerce("MLENTORY_OFFLINE", env.get("MLENTORY_OFFLINE", False), False)
    values["hf_endpoint"] = (env.get("HF_ENDPOINT") or values["hf_endpoint"]).rstrip("/")
    values["openml_endpoint"] = values["openml_endpoint"].rstrip("/")
    values["bioimageio_endpoint"] = values["bioimageio_endpoint"].rstrip("/")
    values["hf_token"] = env.get("HF_TOKEN") or values["hf_token"]
    for name in _TARGET_VARIABLES:  # the names the Neo4j and Elasticsearch ecosystems already use
        values[name] = env.get(name.upper()) or values[name]
    if not 1 <= values["shards"] <= 100_000:
        raise SettingsError("setting shards must be between 1 and 100000")
    if not 1 <= values["arxiv_batch_size"] <= 2000:
        raise SettingsError("setting arxiv_batch_size must be between 1 and 2000")
    if not values["run_wait"] >= 0:
        raise SettingsError("setting run_wait must be a number of seconds >= 0 (inf: wait for ever)")
    if not values["fresh_process_above_mib"] >= 0:
        raise SettingsError("setting fresh_process_above_mib must be a number of MiB >= 0 (inf: never)")
    requested_workers(values["workers"])  # "auto" or a count >= 1, else one line saying so
    if values["openml_limit"] < 0:
        raise SettingsError("setting openml_limit must be >= 0 (0 means no limit)")
    if values["hf_limit"] < 0:
        raise SettingsError("setting hf_limit must be >= 0 (0 means no limit)")
    return Settings(**values)
