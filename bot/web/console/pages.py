"""Signing in and out, and the overview: thin request handlers over `models.console`."""

from __future__ import annotations

from aiohttp import web

from bot.web.console.auth import CONSOLE_KEY, NAV_KEY, clear_cookie, set_cookie
from bot.web.console.config import PREFIX
from bot.web.console.render import db, page, person
from models.base import utcnow
from models.console import login
from models.console.overview import overview

MAX_TOKEN = 100


def need_person(request: web.Request) -> login.Signed:
    """The signed-in person; without one, the page that says how to sign in (401)."""
    signed = person(request)
    if signed is None:
        raise web.HTTPUnauthorized(text=page(request, "signin.html", {}, status=401).text,
                                   content_type="text/html")
    return signed


async def login_form(request: web.Request) -> web.Response:
    """The link shows a button: a chat app fetching the link for its preview must not spend it."""
    token = request.match_info["token"]
    return page(request, "login.html", {"token": token[:MAX_TOKEN]})


async def login_submit(request: web.Request) -> web.StreamResponse:
    token = request.match_info["token"][:MAX_TOKEN]
    session_token = await login.redeem(db(request), token, now=utcnow())
    if session_token is None:
        return page(request, "login.html", {"token": None}, status=403)
    found = web.HTTPSeeOther(PREFIX + "/")
    set_cookie(found, request.app[CONSOLE_KEY], session_token)
    raise found


async def logout(request: web.Request) -> web.StreamResponse:
    signed = need_person(request)
    await login.sign_out(db(request), signed.session_id, now=utcnow())
    done = web.HTTPSeeOther(PREFIX + "/")
    clear_cookie(done)
    raise done


async def home(request: web.Request) -> web.Response:
    signed = need_person(request)
    request[NAV_KEY] = "overview"
    console = request.app[CONSOLE_KEY]
    found = await overview(db(request), signed.held, now=utcnow(), tz=console.tz)
    return page(request, "overview.html", {"overview": found})


async def to_home(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound(PREFIX + "/")
