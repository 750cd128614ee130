"""Server-side sessions of the dashboard, in the reporting schema: the browser holds only a random id
(its SHA-256 is the key here, so a copy of the table gives no cookie), which lets logout revoke a
session. Also the pending sign-ins (state, nonce, PKCE verifier) between the redirect and the callback."""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from psycopg import sql
from psycopg_pool import AsyncConnectionPool

PENDING_SECONDS = 600  # ten minutes to sign in at the provider
SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS {schema}.web_sessions (
    key text PRIMARY KEY,
    kind text NOT NULL,              -- 'pending' (a sign-in under way) or 'active'
    data jsonb NOT NULL,
    created_at double precision NOT NULL,
    seen_at double precision NOT NULL
)"""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


@dataclass
class StoredSession:
    key: str
    data: dict[str, Any]
    created_at: float
    seen_at: float


class SessionStore:
    def __init__(self, pool: AsyncConnectionPool[Any], schema: str, max_age: float) -> None:
        self._pool, self._schema, self._max_age = pool, sql.Identifier(schema), max_age
        self._ready = False

    async def _ensure(self) -> None:
        if not self._ready:
            async with self._pool.connection() as conn:
                await conn.execute(sql.SQL(SCHEMA_SQL).format(schema=self._schema))
            self._ready = True

    async def put(self, kind: str, secret: str, data: dict[str, Any]) -> None:
        await self._ensure()
        now = time.time()
        async with self._pool.connection() as conn:
            # Each sign-in sweeps what can never be used again: sign-ins abandoned at the provider, sessions
            # past their absolute timeout (an idle one is removed when next seen).
            await conn.execute(sql.SQL(
                "DELETE FROM {}.web_sessions WHERE created_at < %s OR (kind = 'pending' AND created_at < %s)"
            ).format(self._schema), (now - self._max_age, now - PENDING_SECONDS))
            await conn.execute(sql.SQL(
                "INSERT INTO {}.web_sessions (key, kind, data, created_at, seen_at) VALUES (%s, %s, %s, %s, %s)"
            ).format(self._schema), (digest(secret), kind, json.dumps(data), now, now))

    async def take_pending(self, state: str) -> dict[str, Any] | None:
        """The pending sign-in of this state, removed as it is read: a state (and its code) works once."""
        await self._ensure()
        async with self._pool.connection() as conn:
            row = await (await conn.execute(sql.SQL(
                "DELETE FROM {}.web_sessions WHERE key = %s AND kind = 'pending' RETURNING data, created_at"
            ).format(self._schema), (digest(state),))).fetchone()
        if row is None or row[1] < time.time() - PENDING_SECONDS:
            return None
        data: dict[str, Any] = row[0]
        return data

    async def get(self, secret: str) -> StoredSession | None:
        await self._ensure()
        async with self._pool.connection() as conn:
            row = await (await conn.execute(sql.SQL(
                "SELECT key, data, created_at, seen_at FROM {}.web_sessions WHERE key = %s AND kind = 'active'"
            ).format(self._schema), (digest(secret),))).fetchone()
        return None if row is None else StoredSession(row[0], row[1], row[2], row[3])

    async def update(self, session: StoredSession, *, data: dict[str, Any] | None = None) -> None:
        async with self._pool.connection() as conn:
            await conn.execute(sql.SQL(
                "UPDATE {}.web_sessions SET seen_at = %s, data = %s WHERE key = %s").format(self._schema),
                (time.time(), json.dumps(data if data is not None else session.data), session.key))

    async def delete(self, key: str) -> None:
        await self._ensure()
        async with self._pool.connection() as conn:
            await conn.execute(sql.SQL("DELETE FROM {}.web_sessions WHERE key = %s").format(self._schema), (key,))
