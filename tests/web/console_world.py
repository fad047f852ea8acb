"""The web console under test: the real aiohttp app on a real database, a client per person."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from zoneinfo import ZoneInfo

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.web import build_app
from bot.web.console import Console
from models.base import utcnow
from models.console import login
from models.tables import Person

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
KEY = b"k" * 32


def console(sessions: async_sessionmaker[AsyncSession], *, secure: bool = False) -> Console:
    return Console(sessions, TZ, "vi", secure=secure, key=KEY)


@asynccontextmanager
async def client(engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession], *,
                 secure: bool = False) -> AsyncIterator[TestClient]:
    app = build_app(engine, {}, console=console(sessions, secure=secure))
    async with TestClient(TestServer(app)) as http:
        yield http


async def link_for(sessions: async_sessionmaker[AsyncSession], person: Person,
                   now: dt.datetime | None = None) -> str:
    async with sessions() as s:
        token = await login.issue_link(s, person.id, now=now or utcnow())
        await s.commit()
    return f"/web/login/{token}"


async def sign_in(http: TestClient, sessions: async_sessionmaker[AsyncSession], person: Person) -> str:
    """Opens the person's link as a browser would; the page's CSRF token."""
    response = await http.post(await link_for(sessions, person), allow_redirects=True)
    assert response.status == 200, await response.text()
    return csrf_of(await response.text())


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, html
    return found.group(1)
