"""Every channel implements the declared interface, and the shared runtime keeps its promises:
one turn per chat, a bound on updates in flight, replies in order, the unreachable policy."""

import asyncio
import inspect
from zoneinfo import ZoneInfo

import pytest

from bot.channels import protocol
from bot.channels.runtime import RetryAfter, Runtime, Transient, Unreachable
from bot.channels.telegram.channel import TelegramChannel, make_bot
from bot.channels.terminal import TerminalChannel
from bot.channels.zalo import ZaloChannel, ZaloClient
from bot.outbox.files import Files
from handlers.engine.conversation import Env
from handlers.engine.gateway import Gateway
from handlers.engine.types import Incoming, Reply
from models.enums import Channel
from tests.fakes.channel import RecordingChannel

ENV = Env(tz=ZoneInfo("Asia/Ho_Chi_Minh"))
IMPLEMENTATIONS = {protocol.Channel: [TelegramChannel, ZaloChannel, TerminalChannel, RecordingChannel],
                   protocol.OutboxChannel: [TelegramChannel, ZaloChannel, RecordingChannel]}


class Identity:
    external_id = chat_id = "t1"
    display_name = "Lan"


class StubGateway(Gateway):
    """Answers every message with its own text; records who was marked unreachable."""

    def __init__(self) -> None:
        super().__init__(None, ENV)  # type: ignore[arg-type]  # no database behind it
        self.unreachable: list[tuple[str, str]] = []

    async def reply(self, incoming: Incoming) -> list[Reply]:
        return [Reply(incoming.text)]

    async def mark_unreachable(self, incoming: Incoming, reason: str) -> None:
        self.unreachable.append((incoming.user_id, reason))


def members(interface: type) -> list[str]:
    own = {name for klass in interface.__mro__ if klass.__module__ == protocol.__name__ for name in vars(klass)}
    return sorted(name for name in own if not name.startswith("_"))


@pytest.mark.parametrize(("interface", "implementation"),
                         [(i, c) for i, classes in IMPLEMENTATIONS.items() for c in classes],
                         ids=lambda value: value.__name__)
def test_each_channel_has_the_declared_shape(interface, implementation):
    """The methods with the declared parameters (extras optional), async where declared so; the
    platform as a Channel."""
    assert members(interface)  # the protocol declares something
    for name in members(interface):
        declared = getattr(interface, name)
        implemented = getattr(implementation, name)
        assert inspect.iscoroutinefunction(implemented) == inspect.iscoroutinefunction(declared), name
        wanted = list(inspect.signature(declared).parameters)
        given = list(inspect.signature(implemented).parameters.values())
        assert [p.name for p in given[:len(wanted)]] == wanted, name
        assert all(p.default is not p.empty for p in given[len(wanted):]), name  # extras are optional
    for name in interface.__annotations__:
        assert isinstance(getattr(implementation, name, None) or vars_of(implementation)[name], Channel), name


def vars_of(implementation: type) -> dict:
    """Attributes set on an instance, for the fake (its platform is chosen per test)."""
    return vars(implementation(StubGateway()))


async def test_instances_are_recognised_as_channels():
    gateway = StubGateway()
    bot = make_bot("1:x", "http://127.0.0.1:9")
    async with ZaloClient("1:x", "http://127.0.0.1:9") as client:
        channels = [TelegramChannel(bot, gateway, "gandan_bot"), ZaloChannel(client, gateway),
                    TerminalChannel(gateway, Identity()), RecordingChannel(gateway)]
        for channel in channels:
            assert isinstance(channel, protocol.Channel)
        assert [isinstance(c, protocol.OutboxChannel) for c in channels] == [True, True, False, True]
    await bot.session.close()


async def test_the_outbox_gets_its_deliverer_through_the_channel(sessions):
    channel = RecordingChannel(StubGateway(), platform=Channel.ZALO)
    deliverer = channel.deliverer(Files(sessions))
    assert await deliverer.deliver("z1", {"text": "Họp thôn"}) == "r1"
    assert channel.outbox.delivered == [("z1", {"text": "Họp thôn"})]


# -- the runtime ----------------------------------------------------------------------------

def incoming(text: str = "", chat: str = "c1", *, group: bool = False) -> Incoming:
    return Incoming(Channel.TERMINAL, chat_id=chat, user_id="u1", text=text, is_group=group)


async def test_replies_go_in_order_and_stop_at_the_first_that_cannot_go():
    channel = RecordingChannel(StubGateway(), failures={1: Transient("502")})
    await channel.send(incoming(), [Reply("1"), Reply("2"), Reply("3")])
    assert [reply.text for _, reply in channel.sent] == ["1"]
    await channel.send(incoming(), [Reply("4")])
    assert [reply.text for _, reply in channel.sent] == ["1", "4"]


@pytest.mark.parametrize("error", [RetryAfter(90), Transient("timeout"), ValueError("400: bad")])
async def test_a_failed_send_is_logged_never_raised(error):
    channel = RecordingChannel(StubGateway(), failures={0: error})
    await channel.send(incoming(), [Reply("1"), Reply("2")])
    assert channel.sent == []


async def test_a_blocked_bot_marks_the_person_and_a_refusing_group_marks_nobody():
    gateway = StubGateway()
    channel = RecordingChannel(gateway, failures={0: Unreachable("blocked"), 1: Unreachable("kicked")})
    await channel.send(incoming(), [Reply("1"), Reply("never")])
    await channel.send(incoming(chat="-100", group=True), [Reply("2")])
    assert gateway.unreachable == [("u1", "blocked")] and channel.sent == []


async def test_one_chat_is_handled_one_update_at_a_time():
    runtime = Runtime(StubGateway(), "test")
    order: list[str] = []

    async def update(chat: str, name: str, pause: float) -> None:
        async with runtime.turn(chat):
            order.append(f"{name}+")
            await asyncio.sleep(pause)
            order.append(f"{name}-")

    await asyncio.gather(update("a", "a1", 0.05), update("a", "a2", 0), update("b", "b1", 0))
    assert order.index("a1-") < order.index("a2+")  # a2 waited for a1
    assert order.index("b1+") < order.index("a1-")  # another chat did not wait
    assert len(runtime.turns) == 0  # no lock kept for idle chats


async def test_background_updates_are_bounded():
    runtime = Runtime(StubGateway(), "test", concurrency=3)
    running, most, release = 0, 0, asyncio.Event()

    async def work() -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await release.wait()
        running -= 1

    async def accept_all() -> None:
        for _ in range(10):
            await runtime.spawn(work(), "update")

    accepting = asyncio.create_task(accept_all())
    await asyncio.sleep(0.05)
    assert running == most == 3 and not accepting.done()  # the fourth waits to be accepted
    release.set()
    await accepting
    await runtime.drain()
    assert most == 3 and not runtime.tasks


async def test_a_failing_background_update_is_logged_and_frees_its_slot(caplog):
    runtime = Runtime(StubGateway(), "test", concurrency=1)

    async def broken() -> None:
        raise RuntimeError("boom")

    await runtime.spawn(broken(), "update 7")
    await runtime.spawn(broken(), "update 8")  # would wait forever had the slot been kept
    await runtime.drain()
    assert "test: update 7 failed" in caplog.text and "test: update 8 failed" in caplog.text
