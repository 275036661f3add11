"""Opening a store: an SQLite file by default, PostgreSQL by URL, schema upgraded on open.

SQLite transactions that write start with ``BEGIN IMMEDIATE`` (SQLAlchemy's documented
recipe for pysqlite), so concurrent writers queue on the file lock instead of failing half
way; WAL lets readers go on while one writes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.pool import NullPool

from unspin.errors import InputError
from unspin.ingest.url import redact

_WRITE = "unspin_write"


@dataclass
class Store:
    """An open store: its engine and dialect name ("sqlite" or "postgresql")."""

    engine: Engine
    name: str
    url: str
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One write transaction: committed whole, or rolled back whole on any error."""
        with self.engine.execution_options(**{_WRITE: True}).begin() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()


def dialect_insert(conn: Connection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """INSERT in the connection's dialect, for its ``ON CONFLICT`` clauses."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def database_url(db: str) -> str:
    """``--db`` as an SQLAlchemy URL: a file path means SQLite; postgresql:// means psycopg."""
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser()}"
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    return db


def _sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # SQLAlchemy issues BEGIN itself, below
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(_WRITE)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration shipped in the package."""
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("unspin.store").joinpath("migrations"))
    )
    with engine.execution_options(**{_WRITE: True}).begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def open_store(db: str) -> Store:
    """The store at ``db`` (a file path or a database URL), schema up to date.

    InputError naming ``db`` when it cannot be opened (no driver, no server, no permission).
    """
    url = database_url(db)
    db = redact(db)  # a password in the URL is never printed
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            path = Path(parsed.database or "")
            if parsed.database and not path.parent.is_dir():
                raise InputError(db, f"no such directory {path.parent}")
            engine = create_engine(url, poolclass=NullPool)
            _sqlite_hooks(engine)
        else:
            engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
        _upgrade(engine)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise InputError(db, f"not a database path or URL: {exc}") from None
    except ModuleNotFoundError as exc:
        raise InputError(db, f"{exc.name} is missing: pip install 'unspin[postgres]'") from None
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise InputError(db, f"cannot open the store: {reason}") from None
    return Store(engine=engine, name=db, url=parsed.render_as_string(hide_password=True))
