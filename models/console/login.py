"""Login without passwords: a one-time link sent in the chat opens a browser session.

A link is valid ten minutes and usable once; a session ends after a day without use, on
"Đăng xuất", or as soon as the person no longer holds a role that may use the console (checked
on every request, so a roster re-import that ends a role ends the session at its next click).
Only SHA-256 hashes of the tokens are stored: a copy of the database opens nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import access, audit
from models.tables import Person, WebLogin, WebSession

LINK_VALID = dt.timedelta(minutes=10)
IDLE_LIMIT = dt.timedelta(days=1)
TOUCH_EVERY = dt.timedelta(minutes=1)  # last_seen_at written at most once a minute
TOKEN_BYTES = 32


class NotAllowed(Exception):
    """The person holds no role that may use the console."""


@dataclass(frozen=True)
class Signed:
    """A person signed in, with the roles read for this request and the session's CSRF token."""

    person: Person
    held: Sequence[access.Held]
    session_id: int
    csrf: str


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def csrf_for(token: str) -> str:
    """Derived from the session's own secret: a page from another site cannot know it."""
    return hmac.new(token.encode("ascii", "replace"), b"gandan-web-csrf", hashlib.sha256).hexdigest()


async def issue_link(session: AsyncSession, person_id: int, *, now: dt.datetime) -> str:
    """A fresh login token for the person (the caller builds the link and commits)."""
    if not access.may_use_console(await access.roles(session, person_id)):
        raise NotAllowed(person_id)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(WebLogin(token_hash=digest(token), person_id=person_id, created_at=now, expires_at=now + LINK_VALID))
    audit.record(session, "web.link", "person", person_id, actor_id=person_id, actor_label=f"person:{person_id}")
    await session.flush()
    return token


async def redeem(session: AsyncSession, token: str, *, now: dt.datetime) -> str | None:
    """The new session's token for an unused, unexpired link of a person who may still use the console."""
    login = await session.scalar(select(WebLogin).where(WebLogin.token_hash == digest(token)))
    if login is None or login.used_at is not None or login.expires_at <= now:
        return None
    login.used_at = now  # spent even when refused below: a link opens at most once
    if not access.may_use_console(await access.roles(session, login.person_id)):
        return None
    session_token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(WebSession(token_hash=digest(session_token), person_id=login.person_id, created_at=now,
                           last_seen_at=now))
    audit.record(session, "web.login", "person", login.person_id, actor_id=login.person_id,
                 actor_label=f"person:{login.person_id}")
    await session.flush()
    return session_token


async def signed_in(session: AsyncSession, token: str, *, now: dt.datetime) -> Signed | None:
    """The person behind a session cookie, or None (ending the session) when it has lapsed."""
    found = await session.scalar(select(WebSession).where(WebSession.token_hash == digest(token),
                                                          WebSession.ended_at.is_(None)))
    if found is None:
        return None
    held = await access.roles(session, found.person_id)
    if found.last_seen_at + IDLE_LIMIT <= now or not access.may_use_console(held):
        found.ended_at = now
        await session.flush()
        return None
    if now - found.last_seen_at >= TOUCH_EVERY:
        found.last_seen_at = now
    person = await session.get(Person, found.person_id)
    assert person is not None
    return Signed(person, held, found.id, csrf_for(token))


async def sign_out(session: AsyncSession, session_id: int, *, now: dt.datetime) -> None:
    await session.execute(update(WebSession).where(WebSession.id == session_id, WebSession.ended_at.is_(None))
                          .values(ended_at=now))
    audit.record(session, "web.logout", "web_session", session_id)
