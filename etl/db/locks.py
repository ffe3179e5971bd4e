"""Locks between loaders, on rows of ``load_lock`` that only the loading role can lock.

PostgreSQL's advisory locks are open to every role, so a member of the read-only
``newsetl_reader`` could take a loader's lock and stall every load. Row locks
(``SELECT … FOR UPDATE``) need UPDATE on the table, which readers do not have.
Keys hash into slots 1…LOCK_SLOTS-1 (two keys sharing a slot only wait for each
other); slot 0 is the exclusive run and no key hashes to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .models import LOCK_SLOTS

EXCLUSIVE_RUN_SLOT = 0


def slot(key: str) -> int:
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return 1 + int.from_bytes(digest, "big") % (LOCK_SLOTS - 1)


def lock(conn: Connection, *keys: str) -> None:
    """Transaction-scoped locks on ``keys``, taken in slot order (no lock-order deadlocks).

    One statement: the rows are locked in the order ORDER BY returns them.
    """
    slots = sorted({slot(k) for k in keys})
    if slots:
        conn.execute(sa.text("SELECT slot FROM load_lock WHERE slot = ANY(:slots) ORDER BY slot FOR UPDATE"),
                     {"slots": slots})


@contextmanager
def exclusive_run(engine: Engine) -> Iterator[bool]:
    """Hold the "one exclusive load at a time" lock for a run, if it is free.

    Yields False (and holds nothing) when another exclusive run has it: cron
    jobs that overlap skip instead of piling up, from any machine. The lock is
    a row lock held by a transaction kept open on a connection of its own.
    """
    with engine.connect() as conn:
        got = conn.scalar(sa.text("SELECT slot FROM load_lock WHERE slot = :s FOR UPDATE SKIP LOCKED"),
                          {"s": EXCLUSIVE_RUN_SLOT}) is not None
        try:
            yield got
        finally:
            conn.rollback()
