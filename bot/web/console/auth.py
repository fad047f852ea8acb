"""The console's session cookie (signed, HttpOnly, SameSite=Lax, Secure behind HTTPS) and the
middleware that reads it on every request, sets the person's language and refuses a POST whose
CSRF token is not the session's."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.web.console.config import PREFIX, Console
from core.i18n import _, use_locale
from models.base import utcnow
from models.console import login

COOKIE = "gandan_web"
CONSOLE_KEY = web.AppKey("console", Console)
SIGNED_KEY = web.RequestKey("signed", object)  # the person's login.Signed, or None
NAV_KEY = web.RequestKey("nav", str)  # the menu entry the page belongs to
DB_KEY = web.RequestKey("db", AsyncSession)  # the request's database session
PUBLIC = ("/login/", "/static/")  # reached without a session
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def sign(key: bytes, token: str) -> str:
    return f"{token}.{hmac.new(key, token.encode(), hashlib.sha256).hexdigest()}"


def unsign(key: bytes, value: str | None) -> str | None:
    token, _dot, mac = (value or "").rpartition(".")
    if not token or not hmac.compare_digest(sign(key, token), value or ""):
        return None
    return token


def set_cookie(response: web.StreamResponse, console: Console, token: str) -> None:
    # No max-age: the session lasts while used (a day of inactivity ends it on the server).
    response.set_cookie(COOKIE, sign(console.key, token), path=PREFIX + "/", httponly=True, samesite="Lax",
                        secure=console.secure)


def clear_cookie(response: web.StreamResponse) -> None:
    response.del_cookie(COOKIE, path=PREFIX + "/")


@web.middleware
async def console_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """One database session per request, committed when the page succeeds; the person or None."""
    if not request.path.startswith(PREFIX):
        return await handler(request)
    console = request.app[CONSOLE_KEY]
    async with console.sessions() as db:
        request[DB_KEY] = db
        token = unsign(console.key, request.cookies.get(COOKIE))
        signed = await login.signed_in(db, token, now=utcnow()) if token else None
        request[SIGNED_KEY] = signed
        if token and signed is None:
            await db.commit()  # a lapsed session stays ended whatever the page does next
        locale = (signed.person.locale if signed else None) or console.default_locale
        with use_locale(locale):
            try:
                if request.method == "POST" and signed is not None and not request.path.startswith(PREFIX + "/login/"):
                    form = await request.post()
                    if not hmac.compare_digest(str(form.get("csrf", "")), signed.csrf):
                        raise web.HTTPForbidden(text=_("Biểu mẫu đã cũ hoặc không hợp lệ (mã CSRF sai). Hãy mở lại trang rồi "
                                                        "làm lại."))
                response = await handler(request)
            except web.HTTPException as stop:  # a redirect keeps what the page did; an error keeps only an ended session
                await (db.rollback() if stop.status >= 400 else db.commit())
                _finish(stop, token, signed)
                raise
        await db.commit()
        _finish(response, token, signed)
        return response


def _finish(response: web.StreamResponse, token: str | None, signed: login.Signed | None) -> None:
    if token and signed is None and COOKIE not in response.cookies:  # unless a new session was just opened
        clear_cookie(response)
    _harden(response)


def _harden(response: web.StreamResponse) -> None:
    """No caching of people's data, no framing, no referrer carrying a login link, no outside scripts."""
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                "form-action 'self'; frame-ancestors 'none'")
