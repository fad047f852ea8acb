"""What one update costs the database: the statements of each visit step, the state read with the
identity in one query and written once, and an update retried on a dead connection."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from core.db import create_engine, serving_options, session_factory
from handlers.engine.conversation import Env
from handlers.engine.flow import Ctx
from handlers.engine.gateway import Gateway
from handlers.engine.types import Incoming
from models import conversations
from models.enums import Channel
from models.outbox import delivery
from models.tables import ConversationState, Visit
from tests.dialog import Chat
from tests.world import build_world

NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)
ENV = Env(tz=ZoneInfo("Asia/Ho_Chi_Minh"))


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL of every statement sent while inside (BEGIN and COMMIT are the driver's)."""
    sent: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", seen)
    try:
        yield sent
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", seen)


# The visit from the menu, as the benchmark taps it, and what each step may send at most. On
# PostgreSQL the message's de-duplication rides in the query that reads the identity and state.
VISIT = [("/menu", 4), ("1", 5), ("1", 5), ("1", 3), ("Không — lưu ngay", 7)]


async def test_each_visit_step_sends_a_bounded_number_of_statements(engine, session, sessions, db_url):
    await build_world(session)
    chat = Chat(sessions, "member")
    await chat.say("/menu")  # the chat's first update also creates its state and notes last_seen_at
    shared = 1 if db_url.startswith("postgresql") else 0
    sent_per_step = []
    for line, budget in VISIT:
        with statements(engine) as sent:
            await chat.say(line)
        sent_per_step.append(len(sent))
        assert len(sent) <= budget - shared, f"{line!r}: {len(sent)} statements\n" + "\n".join(sent)
    assert chat.last[0].text.startswith("✅ Đã ghi thăm hộ"), chat.screen
    # Identity, person and state come in one query; the state is written once, at the end.
    assert sent_per_step == [budget - shared for _line, budget in VISIT]


async def test_a_redelivered_message_is_answered_once(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member")
    assert await chat.say("/menu", message_id="same")
    assert await chat.say("/menu", message_id="same") == []


async def test_open_chat_reads_stranger_and_newcomer_alike(session):
    world = await build_world(session)
    # A person writing for the first time: identity and person, an empty state not yet saved.
    identity, person, state = await conversations.open_chat(session, Channel.TERMINAL, "member", "member", NOW)
    assert (identity.external_id, person.id, state.id, state.flow, state.data) == ("member", world.member.id,
                                                                                  None, None, {})
    await conversations.save_state(session, state, NOW)
    # A stranger with a state (half-way through onboarding) but no identity.
    session.add(ConversationState(channel=Channel.TERMINAL, chat_id="x", flow="onboarding", step="name",
                                  data={"code": "ABC"}, updated_at=NOW, expires_at=NOW + dt.timedelta(hours=1)))
    await session.commit()
    identity, person, state = await conversations.open_chat(session, Channel.TERMINAL, "x", "x", NOW)
    assert (identity, person, state.flow, state.step, state.data) == (None, None, "onboarding", "name",
                                                                      {"code": "ABC"})
    # A day later the abandoned flow is gone, and saving says so.
    later = NOW + dt.timedelta(days=1)
    _identity, _person, state = await conversations.open_chat(session, Channel.TERMINAL, "x", "x", later)
    assert (state.flow, state.data) == (None, {})
    await conversations.save_state(session, state, later)
    await session.commit()
    row = await session.scalar(select(ConversationState).where(ConversationState.chat_id == "x")
                               .execution_options(populate_existing=True))
    assert (row.flow, row.step, row.data, row.expires_at, row.updated_at) == (None, None, {}, None, later)


async def test_saving_writes_only_what_the_update_changed(engine, session, sessions):
    """The outbox may rewrite a chat's options while an update runs: a step that did not touch
    them must not put back the copy it read."""
    world = await build_world(session)
    session.add(ConversationState(channel=Channel.TERMINAL, chat_id="member", data={"_offered": []}, updated_at=NOW))
    await session.commit()
    async with sessions() as engine_side:
        _identity, _person, state = await conversations.open_chat(
            engine_side, Channel.TERMINAL, "member", "member", NOW)
        await engine_side.commit()  # SQLite allows one writer: let the outbox's write go first
        async with sessions() as outbox_side:
            await delivery.remember_offered(outbox_side, Channel.TERMINAL, "member", [["zz:1", "Có"]], NOW)
            await outbox_side.commit()
        state.person_id = world.leader.id  # something else changed, not the data
        with statements(engine) as sent:
            await conversations.save_state(engine_side, state, NOW + dt.timedelta(minutes=1))
        await engine_side.commit()
    assert len(sent) == 1 and "data" not in sent[0].split("WHERE")[0]
    async with sessions() as check:
        row = await check.scalar(select(ConversationState))
        assert (row.person_id, row.data) == (world.leader.id, {"_offered": [["zz:1", "Có"]]})


async def test_a_first_save_takes_over_a_row_the_outbox_created(session, sessions):
    await build_world(session)
    async with sessions() as outbox_side:
        await delivery.remember_offered(outbox_side, Channel.TERMINAL, "member", [["zz:1", "Có"]], NOW)
        await outbox_side.commit()
    state = conversations.ChatState(channel=Channel.TERMINAL, chat_id="member")  # read before the outbox wrote
    conversations.start_flow(state, "visit", "household", NOW, {"a": 1})
    await conversations.save_state(session, state, NOW)
    await session.commit()
    row = await session.scalar(select(ConversationState))
    assert (row.flow, row.step, row.data) == ("visit", "household", {"a": 1})


async def test_roles_are_read_once_per_update(engine, session):
    world = await build_world(session)
    _identity, person, state = await conversations.open_chat(session, Channel.TERMINAL, "leader", "leader", NOW)
    ctx = Ctx(session=session, incoming=Incoming(Channel.TERMINAL, "leader", "leader"), now=NOW, tz=ENV.tz,
              state=state, person=person)
    with statements(engine) as sent:
        first = await ctx.roles()
        again = await ctx.roles()
        ctx.forget_roles()
        fresh = await ctx.roles()
    assert len(sent) == 2 and first is again and [h.unit.id for h in fresh] == [h.unit.id for h in first]
    assert {h.unit.id for h in first} == {world.team.id, world.village.id}


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
async def test_an_update_on_a_dead_connection_runs_again(engine, session, db_url, caplog):
    """Serving engines do not ping before each update: a connection the server dropped fails its
    update once, and the update runs again on a new connection instead of apologising."""
    await build_world(session)
    await session.commit()
    assert serving_options(db_url) == {"pool_pre_ping": False}
    serving = create_engine(db_url, **serving_options(db_url))
    try:
        sessions = session_factory(serving)
        async with sessions() as probe:
            pid = await probe.scalar(text("SELECT pg_backend_pid()"))  # the pooled connection
        await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        await session.commit()
        incoming = Incoming(Channel.TERMINAL, "member", "member", text="/menu", message_id="dead-1")
        with caplog.at_level(logging.WARNING, logger="handlers.engine.gateway"):
            replies = await Gateway(sessions, ENV).reply(incoming)
        assert replies[0].text.startswith("Chọn việc cần làm:"), replies
        assert "update retried" in caplog.text
        async with sessions() as check:
            assert await check.scalar(select(ConversationState.id)) is not None
            assert await check.scalar(select(Visit.id)) is None
    finally:
        await serving.dispose()


# The same visit for a household of an open campaign: one more screen, the campaign's question, whose
# answer is recorded with the visit. The household's query brings the campaign, so choosing costs the same.
VISIT_WITH_CAMPAIGN = [("/menu", 4), ("1", 5), ("1", 5), ("1", 4), ("1", 3), ("Không — lưu ngay", 10)]


async def test_a_visit_with_a_campaign_question_sends_a_bounded_number_of_statements(engine, session, sessions,
                                                                                    db_url):
    from models.campaigns.create import Draft, create_campaign

    world = await build_world(session)
    await create_campaign(session, Draft(scope=world.village, name="BHYT", description="", starts_on=NOW.date(),
                                         ends_on=NOW.date() + dt.timedelta(days=30), target_percent=90),
                          person_id=world.leader.id, now=NOW)
    await session.commit()
    chat = Chat(sessions, "member")
    await chat.say("/menu")
    shared = 1 if db_url.startswith("postgresql") else 0
    for line, budget in VISIT_WITH_CAMPAIGN:
        with statements(engine) as sent:
            await chat.say(line)
        assert len(sent) <= budget - shared, f"{line!r}: {len(sent)} statements\n" + "\n".join(sent)
    assert chat.last[0].text.startswith("✅ Đã ghi thăm hộ") and "📣 Kết quả vận động:" in chat.last[0].text
