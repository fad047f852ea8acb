"""What the console needs from the deployment, gathered once when the web server is built."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

PREFIX = "/web"


@dataclass(frozen=True)
class Console:
    sessions: async_sessionmaker[AsyncSession]
    tz: ZoneInfo
    default_locale: str = "vi"
    secure: bool = False  # the cookie is sent over HTTPS only (PUBLIC_URL is https)
    # Signs the session cookie; WEB_SECRET keeps sessions across restarts, else a fresh key each start.
    key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)

    @staticmethod
    def base_url(public_url: str | None, host: str, port: int) -> str:
        """Where the links sent in the chat point: PUBLIC_URL's /web, else the server's own address."""
        return (public_url.rstrip("/") if public_url else f"http://{host}:{port}") + PREFIX
