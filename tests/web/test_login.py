"""Signing in to the web console: one-time links, the cookie, idle and ended sessions, logging out."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from bot.web.console.auth import COOKIE
from handlers.engine.conversation import Env
from models.base import utcnow
from models.console import login
from models.tables import AuditLog, Membership, WebLogin, WebSession
from tests.concerns.test_lifecycle import build_town
from tests.dialog import Chat
from tests.web.console_world import client, link_for, sign_in


async def test_link_opens_once_sets_a_safe_cookie_and_stores_only_hashes(engine, sessions):
    async with sessions() as s:
        town = await build_town(s)
    async with client(engine, sessions) as http:
        link = await link_for(sessions, town.world.leader)
        # The link itself shows a button: a chat app's link preview does not spend it.
        page = await http.get(link)
        assert page.status == 200 and "Đăng nhập" in await page.text()
        response = await http.post(link, allow_redirects=False)
        assert response.status == 303 and response.headers["Location"] == "/web/"
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/web/" in cookie
        assert "Secure" not in cookie  # plain HTTP here; behind an https PUBLIC_URL see the test below
        home = await http.get("/web/")
        assert home.status == 200 and "Nguyễn Thị Hằng" in await home.text()
        again = await http.post(link, allow_redirects=False)
        assert again.status == 403 and "không còn dùng được" in await again.text()
    token = link.rsplit("/", 1)[1]
    async with sessions() as s:
        stored = (await s.scalars(select(WebLogin.token_hash))).all() + (await s.scalars(select(WebSession.token_hash))).all()
        assert token not in stored and login.digest(token) in stored
        assert all(len(value) == 64 for value in stored)
        actions = (await s.scalars(select(AuditLog.action).where(AuditLog.action.startswith("web.")))).all()
        assert actions == ["web.link", "web.login"]


async def test_secure_cookie_behind_https(engine, sessions):
    async with sessions() as s:
        town = await build_town(s)
    async with client(engine, sessions, secure=True) as http:
        response = await http.post(await link_for(sessions, town.world.leader), allow_redirects=False)
        assert "Secure" in response.headers["Set-Cookie"]


async def test_an_expired_link_opens_nothing(engine, sessions):
    async with sessions() as s:
        town = await build_town(s)
    async with client(engine, sessions) as http:
        link = await link_for(sessions, town.world.leader, now=utcnow() - dt.timedelta(minutes=11))
        response = await http.post(link, allow_redirects=False)
        assert response.status == 403
        assert (await http.get("/web/")).status == 401


async def test_without_a_session_the_page_says_how_to_sign_in(engine, sessions):
    async with sessions() as s:
        await build_town(s)
    async with client(engine, sessions) as http:
        for path in ("/web/", "/web/concerns", "/web/concerns/1", "/web/concerns.xlsx"):
            response = await http.get(path)
            assert response.status == 401 and "/web" in await response.text(), path
        http.session.cookie_jar.update_cookies({COOKIE: "forged.0000"})
        assert (await http.get("/web/")).status == 401
        assert (await http.get("/web", allow_redirects=False)).headers["Location"] == "/web/"


async def test_members_get_no_link(engine, sessions):
    async with sessions() as s:
        town = await build_town(s)
        with pytest.raises(login.NotAllowed):
            await login.issue_link(s, town.world.member.id, now=utcnow())


async def test_a_day_without_use_ends_the_session(engine, sessions):
    async with sessions() as s:
        town = await build_town(s)
    async with client(engine, sessions) as http:
        await sign_in(http, sessions, town.world.leader)
        async with sessions() as s:
            await s.execute(update(WebSession).values(last_seen_at=utcnow() - dt.timedelta(days=1, minutes=1)))
            await s.commit()
        response = await http.get("/web/")
        assert response.status == 401
        async with sessions() as s:
            assert await s.scalar(select(func.count()).select_from(WebSession).where(WebSession.ended_at.is_(None))) == 0


async def test_sessions_end_when_the_roles_end(engine, sessions):
    async with sessions() as s:
        town = await build_town(s)
    async with client(engine, sessions) as http:
        await sign_in(http, sessions, town.deputy)
        assert (await http.get("/web/concerns")).status == 200
        async with sessions() as s:  # a roster re-import ends the deputy's role
            await s.execute(update(Membership).where(Membership.person_id == town.deputy.id).values(ended_at=utcnow()))
            await s.commit()
        assert (await http.get("/web/concerns")).status == 401


async def test_sign_out_ends_the_session(engine, sessions):
    async with sessions() as s:
        town = await build_town(s)
    async with client(engine, sessions) as http:
        csrf = await sign_in(http, sessions, town.world.leader)
        assert (await http.post("/web/logout", data={"csrf": "0" * 64}, allow_redirects=False)).status == 403
        response = await http.post("/web/logout", data={"csrf": csrf}, allow_redirects=False)
        assert response.status == 303
        assert (await http.get("/web/")).status == 401
        async with sessions() as s:
            session = await s.scalar(select(WebSession))
            assert session.ended_at is not None


async def test_web_in_the_chat_sends_a_link_to_leaders_only(sessions):
    async with sessions() as s:
        await build_town(s)
    env = Env(tz=ZoneInfo("Asia/Ho_Chi_Minh"), web_url="https://gandan.example.vn/web")
    leader = Chat(sessions, "leader", env=env)
    await leader.transcript([("/web", "🖥 Mở trang quản lý: https://gandan.example.vn/web/login/")])
    await leader.say("/menu")
    await leader.menu_entry("Trang quản lý")  # folded under "🗂 Mục khác…" in a leader's long menu
    assert "dùng được một lần, trong 10 phút" in leader.screen
    member = Chat(sessions, "member", env=env)
    await member.transcript([("/web", "Trang quản lý dành cho tổ trưởng")])
    unset = Chat(sessions, "leader")
    await unset.transcript([("/web", "chưa được bật")])
    async with sessions() as s:
        assert await s.scalar(select(func.count()).select_from(WebLogin)) == 2
