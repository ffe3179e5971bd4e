"""COPY for bulk writes (psycopg 3), inside the caller's SQLAlchemy transaction."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import Connection


def copy_rows(conn: Connection, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """COPY rows into ``table`` inside the connection's own transaction: one round trip, no per-row statements.

    psycopg escapes tabs, newlines and backslashes, and writes None as NULL. Its
    errors are raised as SQLAlchemy's (OperationalError for a lost connection,
    DataError for a NUL character, …), so the callers' retry, reject and
    connection-lost handling treat COPY like any other statement.
    """
    import psycopg

    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    raw = conn.connection.driver_connection  # the psycopg 3 connection under SQLAlchemy, same transaction
    try:
        with raw.cursor() as cur, cur.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    except psycopg.Error as exc:
        lost = conn.dialect.is_disconnect(exc, raw, None)
        if lost:
            conn.invalidate(exc)  # never hand this connection back to the pool
        raise sa.exc.DBAPIError.instance(sql, None, exc, psycopg.Error, connection_invalidated=lost,
                                         dialect=conn.dialect) from exc
