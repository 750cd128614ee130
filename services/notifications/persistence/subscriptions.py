"""Subscriptions and per-program rule settings: small tables, read whole."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection
from psycopg.rows import dict_row

from notifications.application.ports import Cipher
from notifications.domain.rules import RuleConfig
from notifications.domain.subscriptions import Channel, Subscription

_COLUMNS = "id, name, channel, address, roles, units, rules, active, created_at, created_by"


def _subscription(row: dict[str, Any]) -> Subscription:
    return Subscription(id=row["id"], name=row["name"], channel=Channel(row["channel"]), address=row["address"],
                        roles=tuple(row["roles"]), units=tuple(row["units"]), rules=tuple(row["rules"]),
                        active=row["active"], created_at=row["created_at"], created_by=row["created_by"])


async def active(conn: AsyncConnection[Any]) -> list[Subscription]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(f"SELECT {_COLUMNS} FROM subscriptions WHERE active AND NOT deleted ORDER BY created_at")
        return [_subscription(r) for r in await cur.fetchall()]


async def listing(conn: AsyncConnection[Any]) -> list[Subscription]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(f"SELECT {_COLUMNS} FROM subscriptions WHERE NOT deleted ORDER BY created_at")
        return [_subscription(r) for r in await cur.fetchall()]


async def get(conn: AsyncConnection[Any], subscription_id: UUID) -> Subscription | None:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(f"SELECT {_COLUMNS} FROM subscriptions WHERE id = %s AND NOT deleted", (subscription_id,))
        row = await cur.fetchone()
        return _subscription(row) if row else None


async def secret(conn: AsyncConnection[Any], subscription_id: UUID) -> str | None:
    cur = await conn.execute("SELECT secret FROM subscriptions WHERE id = %s", (subscription_id,))
    row = await cur.fetchone()
    return row[0] if row else None


async def seal_plaintext_secrets(conn: AsyncConnection[Any], cipher: Cipher) -> int:
    """Encrypts the secrets stored in clear by versions before encryption; returns how many."""
    cur = await conn.execute("SELECT id, secret FROM subscriptions WHERE secret IS NOT NULL AND secret NOT LIKE %s "
                             "FOR UPDATE", (f"{cipher.sealed_prefix}%",))
    rows = await cur.fetchall()
    for subscription_id, secret in rows:
        await conn.execute("UPDATE subscriptions SET secret = %s WHERE id = %s",
                           (cipher.seal(subscription_id, secret), subscription_id))
    return len(rows)


async def save(conn: AsyncConnection[Any], s: Subscription, secret: str | None, now: datetime) -> None:
    """Creates or replaces a subscription; a replacement keeps the webhook secret unless given a new one.

    `secret` is the sealed (encrypted) form: the clear secret never reaches the database."""
    await conn.execute(
        "INSERT INTO subscriptions (id, name, channel, address, secret, roles, units, rules, active, created_at, "
        "created_by, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, channel = EXCLUDED.channel, "
        "address = EXCLUDED.address, secret = COALESCE(EXCLUDED.secret, subscriptions.secret), "
        "roles = EXCLUDED.roles, units = EXCLUDED.units, rules = EXCLUDED.rules, active = EXCLUDED.active, "
        "updated_at = EXCLUDED.updated_at",
        (s.id, s.name, s.channel.value, s.address, secret, list(s.roles), list(s.units), list(s.rules), s.active,
         s.created_at or now, s.created_by or "", now))


async def delete(conn: AsyncConnection[Any], subscription_id: UUID, now: datetime) -> bool:
    """Soft: its deliveries keep their history; pending ones are cancelled."""
    cur = await conn.execute("UPDATE subscriptions SET deleted = true, active = false, updated_at = %s "
                             "WHERE id = %s AND NOT deleted", (now, subscription_id))
    await conn.execute("UPDATE deliveries SET status = 'cancelled' WHERE subscription_id = %s "
                       "AND status = 'pending'", (subscription_id,))
    return cur.rowcount > 0


async def program_rules(conn: AsyncConnection[Any]) -> dict[int, RuleConfig]:
    """A `pace_margin` stored by earlier versions stays in its row, unread: the pace is the dashboard's."""
    cur = await conn.execute("SELECT program_year, approach_days, no_progress_days, confirmation_wait_days "
                             "FROM program_rules")
    return {year: RuleConfig(tuple(days), no_progress, wait) for year, days, no_progress, wait in await cur.fetchall()}


async def save_program_rules(conn: AsyncConnection[Any], year: int, cfg: RuleConfig, user_id: str,
                             now: datetime) -> None:
    await conn.execute(
        "INSERT INTO program_rules (program_year, approach_days, no_progress_days, pace_margin, "
        "confirmation_wait_days, updated_at, updated_by) VALUES (%s, %s, %s, NULL, %s, %s, %s) "
        "ON CONFLICT (program_year) DO UPDATE SET approach_days = EXCLUDED.approach_days, "
        "no_progress_days = EXCLUDED.no_progress_days, pace_margin = NULL, "
        "confirmation_wait_days = EXCLUDED.confirmation_wait_days, updated_at = EXCLUDED.updated_at, "
        "updated_by = EXCLUDED.updated_by",
        (year, list(cfg.approach_days), cfg.no_progress_days, cfg.confirmation_wait_days, now, user_id))
