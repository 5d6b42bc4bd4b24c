"""Opening a store: an SQLite file by default (WAL), or a PostgreSQL server by URL."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from sqlalchemy import create_engine, event as sa_event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.pool import NullPool

from flashpoint.store.schema import generation, migrate, schema_version

#: Where `--db` points when it is not given (and FLASHPOINT_DB is not set).
DEFAULT_DB = "flashpoint.db"
#: How long a writer waits for another writer's lock on SQLite, in milliseconds.
SQLITE_BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """A store that cannot be opened or used, in words a user can act on."""


def engine_url(db: str | None) -> str:
    """An SQLAlchemy URL from what a user types: a file path, sqlite:///..., or postgresql://..."""
    db = db or os.environ.get("FLASHPOINT_DB") or DEFAULT_DB
    if re.match(r"^postgres(ql)?(\+psycopg)?://", db):
        return re.sub(r"^postgres(ql)?(\+psycopg)?://", "postgresql+psycopg://", db)
    if db.startswith("sqlite:///"):
        return db
    if "://" in db:
        raise StoreError(f"{db}: not a database this version knows (use a file path, sqlite:///FILE or postgresql://...)")
    path = Path(db).expanduser()
    if path.is_dir():
        raise StoreError(f"{db}: is a folder; give a file name such as {path / DEFAULT_DB}")
    if not path.parent.exists():
        raise StoreError(f"{db}: the folder {path.parent} does not exist")
    return f"sqlite:///{path}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # First: wait for another process's lock rather than fail (switching a new file to WAL needs one).
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # WAL: readers never block the writer; synchronous=NORMAL keeps every commit through a
    # killed process (only a power cut may lose the last commits).
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


class Store:
    """A database of articles, events and incidents; migrated to the current schema on open."""

    def __init__(self, db: str | None = None, create: bool = True):
        url = engine_url(db)
        self.url = url
        self.dialect = "sqlite" if url.startswith("sqlite") else "postgresql"
        if self.dialect == "sqlite":
            path = Path(url[len("sqlite:///"):])
            if not create and not path.exists():
                raise StoreError(f"{path}: no such database (run `flashpoint ingest` first)")
            if not create and path.stat().st_size == 0:
                raise StoreError(f"{path}: the file is empty, not a flashpoint store (run `flashpoint ingest` into it)")
            self.engine: Engine = create_engine(url, poolclass=NullPool if os.environ.get("FLASHPOINT_NULLPOOL") else None)
            sa_event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_engine(url, pool_pre_ping=True)
        try:
            migrate_when_free(self.engine.connect)
        except OperationalError as exc:
            raise StoreError(f"{self.display_url}: cannot open the database ({first_line(exc)})") from None
        except DatabaseError as exc:
            raise StoreError(damaged(self.display_url, exc)) from None
        except ArgumentError as exc:
            raise StoreError(f"{self.display_url}: {exc}") from None

    @property
    def display_url(self) -> str:
        """The URL without its password, for messages."""
        return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", self.url)

    def connect(self):
        return self.engine.connect()

    def begin(self):
        return self.engine.begin()

    def version(self) -> int:
        with self.connect() as conn:
            return schema_version(conn)

    def generation(self) -> int:
        """A number that changes whenever a write batch commits (and only then)."""
        with self.connect() as conn:
            return generation(conn)

    def counts(self) -> dict[str, int]:
        with self.connect() as conn:
            return {name: conn.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()
                    for name in ("article", "event", "incident")}

    def close(self) -> None:
        self.engine.dispose()


def damaged(where: str, exc: Exception) -> str:
    """The message for a file that is not a database or is damaged (truncated, a garbage header)."""
    return (f"{where}: not a usable database ({first_line(exc)}); restore it from a backup, or ingest into a "
            f"new file")


def migrate_when_free(conn_factory, wait_s: float = 60.0) -> None:
    """Migrate, waiting out another process that is opening (migrating) the same new SQLite file:
    SQLite answers "database is locked" at once, without waiting, when two first opens race."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            migrate(conn_factory)
            return
        except OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def first_line(exc: Exception) -> str:
    message = str(getattr(exc, "orig", exc) or exc)
    return message.strip().splitlines()[0] if message.strip() else type(exc).__name__
