"""The database schema, as SQLAlchemy Core tables, and its migrations.

One schema for SQLite and PostgreSQL. Text search differs: SQLite keeps an FTS5 table
beside `article`, PostgreSQL a GIN index over the article's tsvector. Migrations are
numbered steps recorded in `schema_migration`; `migrate` applies the missing ones in
order, each in its own transaction, so a database of any earlier version is brought up
to date on open.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from sqlalchemy import (Boolean, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text,
                        BigInteger, select, text)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

metadata = MetaData()

article = Table(
    "article", metadata,
    Column("id", String(40), primary_key=True),
    Column("doc", Text, nullable=False),
    Column("url", Text),
    Column("title", Text),
    Column("published", String(32)),
    Column("pub_day", String(10)),
    Column("publisher", Text),
    Column("byline", Text),
    Column("agency", Text),
    Column("dateline", Text),
    Column("language", String(8)),
    Column("kind", String(16)),
    Column("body", Text, nullable=False),
    Column("body_hash", String(40), nullable=False),
    # The first stored copy of this syndicated story: a copy adds a source, not events.
    Column("copy_of", String(40), ForeignKey("article.id")),
    Column("ingested_at", String(32), nullable=False),
)
Index("ix_article_body_hash", article.c.body_hash)
Index("ix_article_copy_of", article.c.copy_of)
Index("ix_article_pub_day", article.c.pub_day)

# Sampled word 5-gram hashes of each original story, to recognise a later copy in another run.
shingle = Table(
    "shingle", metadata,
    Column("hash", BigInteger, primary_key=True),
    Column("article_id", String(40), ForeignKey("article.id"), primary_key=True),
)

incident = Table(
    "incident", metadata,
    Column("id", String(40), primary_key=True),
    Column("event_type", Text, nullable=False),
    Column("sub_event_type", Text),
    Column("country", String(2)),
    Column("admin1", Text),
    Column("place", Text),
    Column("geonameid", Integer),
    Column("lat", Float),
    Column("lon", Float),
    Column("geo_precision", String(16)),
    Column("date_start", String(10)),
    Column("date_end", String(10)),
    Column("actor1", Text),
    Column("actor2", Text),
    Column("fatalities_best", Integer),
    Column("fatalities_low", Integer),
    Column("fatalities_high", Integer),
    Column("contested", Boolean, nullable=False, default=False),
    Column("n_events", Integer, nullable=False, default=0),
    Column("n_articles", Integer, nullable=False, default=0),
    Column("n_sources", Integer, nullable=False, default=0),
    Column("sources", Text),  # JSON list of outlet names
    Column("summary", Text),
)
Index("ix_incident_country_date", incident.c.country, incident.c.date_start)
Index("ix_incident_date", incident.c.date_start)
Index("ix_incident_geo", incident.c.lat, incident.c.lon)

event = Table(
    "event", metadata,
    Column("id", String(64), primary_key=True),
    Column("article_id", String(40), ForeignKey("article.id"), nullable=False),
    Column("incident_id", String(40), ForeignKey("incident.id")),
    Column("seq", Integer, nullable=False),  # order of ingestion, for stable listings
    Column("event_type", Text),
    Column("sub_event_type", Text),
    Column("plover_event", String(16)),
    Column("plover_mode", String(32)),
    Column("cameo", String(8)),
    Column("actor1", Text),
    Column("actor2", Text),
    Column("reported_by", Text),
    Column("reporter_party", Text),
    Column("contested", Boolean, nullable=False, default=False),
    Column("fatalities", Integer),
    Column("injured", Integer),
    Column("country", String(2)),
    Column("admin1", Text),
    Column("place", Text),
    Column("geonameid", Integer),
    Column("lat", Float),
    Column("lon", Float),
    Column("geo_precision", String(16)),
    Column("date_start", String(10)),
    Column("date_end", String(10)),
    Column("date_precision", String(8)),
    Column("confidence", Float),
    Column("record", Text, nullable=False),  # the full event as `flashpoint extract` writes it
)
Index("ix_event_country_date", event.c.country, event.c.date_start)
Index("ix_event_date", event.c.date_start)
Index("ix_event_incident", event.c.incident_id)
Index("ix_event_article", event.c.article_id)
Index("ix_event_seq", event.c.seq)

#: One row whose number every write batch raises: a reader that remembers it knows whether anything
#: changed since (the API caches its answers until it does).
store_generation = Table(
    "store_generation", metadata,
    Column("id", Integer, primary_key=True),
    Column("n", BigInteger, nullable=False),
)

schema_migration = Table(
    "schema_migration", metadata,
    Column("version", Integer, primary_key=True),
    Column("description", Text, nullable=False),
    Column("applied_at", String(32), nullable=False),
)


def create_tables(conn: Connection) -> None:
    metadata.create_all(conn, tables=[article, shingle, incident, event])


def create_text_search(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS article_fts USING fts5("
                          "article_id UNINDEXED, title, body, tokenize='unicode61 remove_diacritics 2')"))
    else:
        conn.execute(text("CREATE INDEX IF NOT EXISTS ix_article_fts ON article USING gin "
                          "(to_tsvector('english', coalesce(title, '') || ' ' || body))"))


def create_generation(conn: Connection) -> None:
    store_generation.create(conn, checkfirst=True)
    if conn.execute(select(store_generation.c.id)).first() is None:
        conn.execute(store_generation.insert().values(id=1, n=0))


def next_generation(conn: Connection) -> None:
    """Mark the store changed, inside the writer's transaction (readers see it with the data)."""
    conn.execute(store_generation.update().where(store_generation.c.id == 1)
                 .values(n=store_generation.c.n + 1))


def generation(conn: Connection) -> int:
    return conn.execute(select(store_generation.c.n).where(store_generation.c.id == 1)).scalar_one()


#: (version, what it does, how): append new steps, never edit an applied one.
MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "articles, shingles, events, incidents", create_tables),
    (2, "full-text search over articles", create_text_search),
    (3, "a generation number raised by every write, for readers' caches", create_generation),
]


#: The advisory lock every flashpoint writer of a PostgreSQL store takes (any constant of its own).
WRITER_LOCK_KEY = 0x666C6173


def lock_for_writing(conn: Connection) -> None:
    """Take SQLite's write lock at the start of a transaction (a no-op write does), so that what the
    transaction reads before it writes is still true when it writes: two processes ingesting into
    one file take turns instead of both inserting the same article. On PostgreSQL a transaction-scoped
    advisory lock does the same (released at commit or rollback)."""
    if conn.dialect.name == "sqlite":
        conn.execute(text("UPDATE schema_migration SET version = version WHERE 0 = 1"))
    else:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK_KEY})


def applied_versions(conn: Connection) -> set[int]:
    return {row[0] for row in conn.execute(schema_migration.select().with_only_columns(schema_migration.c.version))}


def migrate(conn_factory) -> list[int]:
    """Apply the missing migrations in order; returns the versions applied now. Each runs under the
    write lock and is skipped when another process applied it meanwhile."""
    with conn_factory() as conn:
        if conn.dialect.name != "sqlite":
            lock_for_writing(conn)  # PostgreSQL's lock needs no table; SQLite's is taken on it below
        try:
            schema_migration.create(conn, checkfirst=True)
            conn.commit()
        except OperationalError as exc:
            if "already exists" not in str(exc):
                raise  # another process created it between the check and the create: fine
            conn.rollback()
        done = applied_versions(conn)
        conn.commit()
    applied = []
    for version, description, step in MIGRATIONS:
        if version in done:
            continue
        with conn_factory() as conn:
            lock_for_writing(conn)
            if version in applied_versions(conn):
                conn.commit()
                continue
            step(conn)
            conn.execute(schema_migration.insert().values(
                version=version, description=description, applied_at=datetime.now(timezone.utc).isoformat()))
            conn.commit()
        applied.append(version)
    return applied


def schema_version(conn: Connection) -> int:
    return conn.execute(text("SELECT coalesce(max(version), 0) FROM schema_migration")).scalar_one()
