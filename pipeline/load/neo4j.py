"""Neo4j graph target through the official driver: managed write transactions (retried by the driver)."""

from __future__ import annotations

import logging
from collections import Counter
from contextlib import contextmanager

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ClientError, ConfigurationError, ServiceUnavailable, SessionExpired

from pipeline.config import redact_url
from pipeline.load.graph_model import ADD_ID_LOWER
from pipeline.errors import PipelineError

_SCHEMA_READY: set[tuple] = set()
COMPOSE_HINT = "start it with `docker compose up -d neo4j` or unset NEO4J_URI to use the embedded graph"


class _Notifications(logging.Handler):
    """What the server says of the pipeline's statements (deprecations, warnings). The driver logs each
    through `neo4j.notifications`, which, with no handler configured, Python prints on stderr in the middle
    of the run's console, once per statement. Kept here instead; the store's `close` prints each kind once
    into the task's own output (`doit logs`)."""

    def __init__(self):
        super().__init__()
        self.seen: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.seen[" ".join(record.getMessage().split())[:600]] += 1

    def report(self) -> None:
        for message, count in self.seen.items():
            print(f"Neo4j said{f' ({count} times)' if count > 1 else ''}: {message}")
        self.seen.clear()


_NOTIFICATIONS = _Notifications()


def _keep_notifications() -> None:
    logger = logging.getLogger("neo4j.notifications")
    if _NOTIFICATIONS not in logger.handlers:
        logger.addHandler(_NOTIFICATIONS)
        logger.propagate = False


class Neo4jStore:
    """GraphStore on a Neo4j 5 server (see pipeline/load/graph.py for the interface)."""

    dialect = "neo4j"
    rejection_errors = (ClientError,)

    def __init__(self, uri: str, user: str | None, password: str | None, database: str | None):
        self.uri = uri
        self.database = database or None
        self.shown_uri = redact_url(uri)
        self.target = f"Neo4j at {self.shown_uri}" + (f" (database {database})" if database else "")
        self._auth = (user, password or "") if user else None
        self._driver = None

    def open(self) -> "Neo4jStore":
        _keep_notifications()
        try:
            self._driver = GraphDatabase.driver(self.uri, auth=self._auth)
        except (ConfigurationError, ValueError) as exc:
            # the driver's message repeats the URI, credentials included: do not pass it on
            raise PipelineError(f"NEO4J_URI {self.shown_uri} is not usable by the Neo4j driver "
                                f"({exc.__class__.__name__}): use bolt:// or neo4j:// and put credentials "
                                "in NEO4J_USER / NEO4J_PASSWORD") from None
        try:
            self._driver.verify_connectivity()
        except AuthError as exc:
            self._driver.close()
            raise PipelineError(f"Neo4j at {self.shown_uri} rejected the credentials: check NEO4J_USER / NEO4J_PASSWORD") from exc
        except (ServiceUnavailable, SessionExpired, OSError, ValueError) as exc:
            self._driver.close()
            reason = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
            raise PipelineError(f"cannot connect to Neo4j at {self.shown_uri}: {reason} - {COMPOSE_HINT}") from exc
        return self

    @contextmanager
    def exclusive(self):
        """Neo4j takes concurrent loads itself: its transactions isolate them."""
        yield

    @contextmanager
    def watched(self):
        """A Neo4j server is not ours to stop: its driver's timeouts say when it does not answer."""
        yield

    def ensure_schema(self, labels) -> None:
        """Uniqueness of every label's id, indexes on MLModel.shard and .idLower (once per database and process)."""
        key = (self.uri, self.database)
        if key in _SCHEMA_READY:
            return
        for label in labels:
            self._run_write([(f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
                              f"FOR (n:{label}) REQUIRE n.id IS UNIQUE", {})])
        self._run_write([("CREATE INDEX mlmodel_shard IF NOT EXISTS FOR (n:MLModel) ON (n.shard)", {}),
                         ("CREATE INDEX mlmodel_id_lower IF NOT EXISTS FOR (n:MLModel) ON (n.idLower)", {}),
                         ("CREATE INDEX loadreceipt_loader IF NOT EXISTS FOR (n:LoadReceipt) ON (n.loader)", {})])
        self._run_write([(ADD_ID_LOWER, {})])
        _SCHEMA_READY.add(key)

    def _run_write(self, statements):
        def work(tx):
            for statement, params in statements:
                tx.run(statement, params).consume()

        with self._driver.session(database=self.database) as session:
            session.execute_write(work)

    def write(self, statements: list[tuple[str, dict]]) -> None:
        self._run_write(statements)

    def read(self, statement: str, params: dict | None = None) -> list[list]:
        with self._driver.session(database=self.database) as session:
            return session.execute_read(lambda tx: [list(r.values()) for r in tx.run(statement, params or {})])

    def close(self, save: bool = True) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None
        _NOTIFICATIONS.report()
