"""The conversation engine: one incoming message in, the replies out, state in the database.

Commands that work everywhere (/huy, /quaylai, /menu, /help, /start) are handled here; the rest
goes to the active flow's current step, or to the main menu when no flow is active.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import _, current_locale, use_locale
from core.text import fold_words
from handlers.engine import outside_flows, paging
from handlers.engine.checks import undeclared
from handlers.engine.commands import parse_command
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Stay
from handlers.engine.keys import choice_index
from handlers.engine.matching import is_label, is_number, match_option
from handlers.engine.types import Incoming, Option, Reply
from handlers.groups import binding
from handlers.menu import main
from handlers.registry import FLOWS
from models import conversations
from models.people.invites import looks_like_code

log = logging.getLogger(__name__)

CANCEL = {"huy", "cancel"}
BACK = {"quaylai", "back"}
MENU = {"menu", "start"}
HELP = {"help", "trogiup"}
RESUME = {"tieptuc", "continue"}
RESUME_COMMAND = "tieptuc"  # what a channel sends for "ask me again" (see `Gateway.ask_again`)
MAX_INPUT = 4000
KEEP = "cf:no"  # "no" to a confirmation: nothing is changed
LAST_SEEN_EVERY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Env:
    tz: ZoneInfo
    default_locale: str = "vi"
    web_url: str | None = None  # the web console's address as people reach it ("https://…/web")


async def handle(session: AsyncSession, incoming: Incoming, env: Env, now: dt.datetime) -> list[Reply]:
    """Process one message inside the caller's transaction (the caller commits)."""
    key = f"{incoming.chat_id}:{incoming.message_id}" if incoming.message_id is not None else None
    opened = await conversations.open_chat(session, incoming.channel, incoming.user_id, incoming.chat_id, now,
                                           message_key=key)
    if opened is None:  # a redelivered message, already handled
        return []
    identity, person, state = opened
    if identity is not None:
        # Written at most once a minute: an UPDATE on every message bought nothing.
        if identity.last_seen_at is None or now - identity.last_seen_at >= LAST_SEEN_EVERY:
            identity.last_seen_at = now
        if identity.unreachable_at is not None:
            identity.unreachable_at = None
    ctx = Ctx(session=session, incoming=incoming, now=now, tz=env.tz, state=state, person=person, identity=identity,
              default_locale=env.default_locale, web_url=env.web_url)
    locale = (person.locale if person else None) or env.default_locale
    with use_locale(locale):
        replies = await _dispatch(ctx)
    if state.flow:  # the 24 hours count from the last answer, not from the start
        state.expires_at = now + conversations.FLOW_TTL
    await conversations.save_state(session, state, now)
    return replies


async def _dispatch(ctx: Ctx) -> list[Reply]:
    text = ctx.incoming.text.strip()
    command = parse_command(text) if not ctx.incoming.choice else None
    name, arg = command if command else ("", "")
    if ctx.incoming.is_group:
        return await binding.handle_group(ctx, name, text)
    if ctx.state.flow and not _resumable(ctx):
        return [await _gone(ctx)]

    if name in CANCEL:
        had_flow = ctx.state.flow is not None
        conversations.clear_flow(ctx.state)
        notice = _("Đã hủy.") if had_flow else _("Không có việc gì đang làm dở.")
        return [await _menu_or_stranger(ctx, notice)]
    if name == "start" and arg or (not ctx.state.flow and not command and looks_like_code(text)):
        return await _start_flow(ctx, "onboarding", {"code": arg or text})
    if ctx.person is None and ctx.state.flow != "onboarding":
        return [Reply(_("Chào bạn! Bot này dành cho thành viên Tổ Dân vận cộng đồng.\n"
                        "Để tham gia, xin tổ trưởng một mã mời rồi gửi mã đó vào đây "
                        "(hoặc bấm đường dẫn mời)."))]
    if name in RESUME:  # where the person left off (a new terminal chat starts with it)
        if ctx.state.flow:
            return [await _ask(ctx, FLOWS[ctx.state.flow], _("Tiếp tục việc đang làm dở:"))]
        return [await _menu_or_stranger(ctx, "")]
    if name in HELP and ctx.state.flow:  # help keeps the step, so /quaylai still works after it
        return [await _ask(ctx, FLOWS[ctx.state.flow], main.help_text())]
    if name in MENU or name in HELP:
        conversations.clear_flow(ctx.state)
        notice = main.help_text() if name in HELP else ""
        return [await _menu_or_stranger(ctx, notice)]
    if name in BACK:
        if ctx.state.flow:
            return await _back(ctx, FLOWS[ctx.state.flow])
        return [await _menu_or_stranger(ctx, "")]
    if command and (handler := outside_flows.find_command(name)) is not None and ctx.person is not None:
        conversations.clear_flow(ctx.state)  # a command leaves whatever was half-done, as /menu does
        result = await handler(ctx, arg)
        if isinstance(result, tuple):
            return await _start_flow(ctx, *result)
        return await _screen(ctx, result)
    if command:
        notice = _("Không có lệnh /{name}.").format(name=name)
        if ctx.state.flow:  # keep the step: showing the menu here left its numbers to the step
            return [await _ask(ctx, FLOWS[ctx.state.flow], notice)]
        return [await _menu_or_stranger(ctx, notice)]
    if ctx.state.flow:  # an empty answer gets the step's own "please type …"
        return await _continue(ctx, FLOWS[ctx.state.flow], text, False)
    if not text and ctx.incoming.photo is None and ctx.incoming.choice is None:  # a sticker, an empty line
        return [await _menu_or_stranger(ctx, _("Tin nhắn trống. Hãy chọn một mục:"))]
    return await _top_level(ctx, text)


def _resumable(ctx: Ctx) -> bool:
    """Whether the stored flow and step still exist (an upgrade may have removed or renamed them)."""
    flow = FLOWS.get(ctx.state.flow or "")
    return flow is not None and ctx.state.step in flow.steps


async def _gone(ctx: Ctx) -> Reply:
    """Clears a half-done flow the code no longer has, whatever the message: it answered a step
    that is gone, and read against the menu a "2" would start something nobody asked for."""
    log.warning("chat %s: flow %r step %r no longer exists; cleared", ctx.state.chat_id, ctx.state.flow,
                ctx.state.step)
    conversations.clear_flow(ctx.state)
    return await _menu_or_stranger(ctx, _("Việc đang làm dở không còn nữa sau khi cập nhật; mời chọn lại."))


def _leads_to(flow: Flow, step: str | None, target: str) -> bool:
    """Logs a move the flow does not declare (tests fail on it); False when the target does not exist."""
    problem = undeclared(flow, step, target)
    if problem is not None:
        log.error("undeclared step: %s", problem)
    return target in flow.steps


async def _menu_or_stranger(ctx: Ctx, notice: str) -> Reply:
    if ctx.person is None:
        return Reply(notice or _("Gửi mã mời để tham gia."))
    prompt = await main.main_menu(ctx)
    remember(ctx, prompt.options)
    body = f"{notice}\n\n{prompt.text}" if notice else prompt.text
    return Reply(body, prompt.options, columns=prompt.columns)


async def _screen(ctx: Ctx, replies: list[Reply]) -> list[Reply]:
    """A command's or a button's own screen: its choices become the chat's (so "2" picks one),
    or the menu follows when it has none; a screen too long for one message pages."""
    replies = paging.paged(ctx, replies)
    if replies and replies[-1].options:
        remember(ctx, replies[-1].options)
        return replies
    return [*replies, await _menu_or_stranger(ctx, "")]


def remember(ctx: Ctx, options: tuple[Option, ...]) -> None:
    """The options on screen, so a later "2" or a word can be matched against them."""
    if len(options) > 1 and options[0].confirm:  # tests fail on it, as on an undeclared step
        log.error("irreversible choice offered first: %r", options[0].label)
    data = {**ctx.data, "_offered": [[o.key, o.label] for o in options]}
    confirm = [o.key for o in options if o.confirm]
    if confirm:
        data["_confirm"] = confirm
    else:
        data.pop("_confirm", None)
    ctx.state.data = data


def offered(ctx: Ctx) -> list[Option]:
    confirm = set(ctx.data.get("_confirm", []))
    return [Option(key, label, confirm=key in confirm) for key, label in ctx.data.get("_offered", [])]


def _unconfirmed(ctx: Ctx, option: Option, text: str) -> bool:
    """A choice that cannot be taken back, picked by a bare number: asked again before it is done."""
    return option.confirm and ctx.incoming.choice is None and is_number(text)


def _confirmation(ctx: Ctx, option: Option) -> Reply:
    """Asked with "no" first, so that a second habitual "1" keeps everything as it is."""
    options = (Option(KEEP, _("✖ Không, giữ nguyên")), Option(option.key, option.label))
    remember(ctx, options)
    return Reply(_("Bạn chọn “{label}”. Chắc chắn chứ?").format(label=option.label), options, columns=2)


def _picked(ctx: Ctx, text: str) -> Option | None:
    options = offered(ctx)
    choice = ctx.incoming.choice
    if choice is not None:
        if choice.startswith("#"):  # a key too long for callback data
            index = choice_index(choice)
            return options[index] if index is not None and index < len(options) else None
        return next((o for o in options if o.key == choice), None)
    return match_option(options, text)


async def _top_level(ctx: Ctx, text: str) -> list[Reply]:
    option = _picked(ctx, text)
    if option is not None and option.key == KEEP:
        return [await _menu_or_stranger(ctx, _("Không thay đổi gì."))]
    if option is not None and _unconfirmed(ctx, option, text):
        return [_confirmation(ctx, option)]
    if option is None and ctx.incoming.choice is None and ctx.person is not None and offered(ctx):
        # Not an answer to the screen shown (which may be a confirmation or a report's buttons):
        # read against the main menu, which every such screen leads back to.
        option = match_option(list((await main.main_menu(ctx)).options), text)
    if option is None and ctx.incoming.choice is None and ctx.person is not None and not is_number(text):
        option = match_option(await main.every_entry(ctx), text)  # an entry folded one level down, by its words
    if option is None:
        option = main.global_option(ctx.incoming.choice or "")
    if option is not None and (handler := outside_flows.find(option.key)) is not None:
        result = await handler(ctx, option.key)
        if isinstance(result, tuple):
            return await _start_flow(ctx, *result)
        return await _screen(ctx, result)
    if option is None:
        if ctx.incoming.choice:
            notice = _("Nút này đã cũ.")
        elif is_number(text) and offered(ctx):  # not on the screen nor in the menu (after an expired flow, nothing is)
            notice = _("Không có mục số {number}. Hãy chọn một mục:").format(number=int(fold_words(text)))
        else:
            notice = _("Tôi chưa hiểu. Hãy chọn một mục:")
        return [await _menu_or_stranger(ctx, notice)]
    action = await main.act(ctx, option.key)
    if isinstance(action, str):  # a flow to start
        return await _start_flow(ctx, action, {})
    return await _screen(ctx, action)  # a screen with its own choices (the folded menu) keeps them


async def _start_flow(ctx: Ctx, name: str, data: dict) -> list[Reply]:
    flow = FLOWS[name]
    conversations.start_flow(ctx.state, name, flow.first, ctx.now, data)
    if flow.start is not None:
        try:
            first = await flow.start(ctx)
        except Invalid as error:
            conversations.clear_flow(ctx.state)
            return [await _menu_or_stranger(ctx, str(error))]
        if first is None:  # nothing to ask: finish straight away
            return await _finish(ctx, flow)
        if not _leads_to(flow, None, first):
            return [await _gone(ctx)]
        ctx.state.step = first
    return [await _ask(ctx, flow, "")]


async def _ask(ctx: Ctx, flow: Flow, notice: str) -> Reply:
    prompt: Prompt = await flow.steps[ctx.state.step].ask(ctx)
    remember(ctx, prompt.options)
    body = f"{notice}\n\n{prompt.text}" if notice else prompt.text
    return Reply(body, prompt.options, columns=prompt.columns)


async def _continue(ctx: Ctx, flow: Flow, text: str, was_command: bool) -> list[Reply]:
    step = flow.steps[ctx.state.step]
    option = _picked(ctx, text)
    if ctx.incoming.choice is not None and option is None:
        handler = outside_flows.find(ctx.incoming.choice)
        if handler is not None:  # a reminder's button, answered in the middle of something else
            result = await handler(ctx, ctx.incoming.choice)
            if isinstance(result, tuple):
                return await _start_flow(ctx, *result)
            return [*result, await _ask(ctx, flow, "")]
        return [await _ask(ctx, flow, _("Nút này đã cũ; hãy chọn lại."))]
    if option is not None and option.key == KEEP:
        return [await _ask(ctx, flow, _("Không thay đổi gì."))]
    if option is not None and _unconfirmed(ctx, option, text):
        return [_confirmation(ctx, option)]
    if len(text) > MAX_INPUT:
        return [await _ask(ctx, flow, _("Tin nhắn quá dài ({count} ký tự).").format(count=len(text)))]
    answer = Answer(option=option if (option or not step.free_text) else None, text=text,
                    photo=ctx.incoming.photo)
    if (step.free_text and option is not None and not ctx.incoming.choice and not text.strip().isdigit()
            and not is_label(option, text)):
        # Typed words that happen to resemble an option label are still the person's text
        # (but typing the whole label, e.g. "Bỏ qua", chooses it).
        answer = Answer(option=None, text=text, photo=ctx.incoming.photo)
    history = list(ctx.data.get("_history", []))
    try:
        next_step = await step.accept(ctx, answer)
    except Invalid as error:
        return [await _ask(ctx, flow, str(error))]
    except Stay as stay:
        return [await _ask(ctx, flow, stay.notice)]
    if next_step is None:
        return await _finish(ctx, flow)
    if not _leads_to(flow, step.name, next_step):
        return [await _gone(ctx)]
    ctx.put(_history=[*history, step.name])
    ctx.state.step = next_step
    return [await _ask(ctx, flow, "")]


async def _back(ctx: Ctx, flow: Flow) -> list[Reply]:
    history = list(ctx.data.get("_history", []))
    if not history:
        conversations.clear_flow(ctx.state)
        return [await _menu_or_stranger(ctx, _("Đã quay lại trang chính."))]
    previous = history.pop()
    ctx.drop(previous)
    ctx.put(_history=history)
    ctx.state.step = previous
    return [await _ask(ctx, flow, "")]


async def _finish(ctx: Ctx, flow: Flow) -> list[Reply]:
    replies = await flow.finish(ctx)
    ctx.forget_roles()  # finishing may have changed them (joining, a role given or ended)
    chained = ctx.data.get("_next_flow"), dict(ctx.data.get("_next_data") or {})
    conversations.clear_flow(ctx.state)
    # The person may just have joined or changed language: speak as they now are.
    locale = (ctx.person.locale if ctx.person else None) or current_locale()
    with use_locale(locale):
        if chained[0]:
            return [*replies, *await _start_flow(ctx, chained[0], chained[1])]
        replies = paging.paged(ctx, replies)
        if replies and replies[-1].options:
            remember(ctx, replies[-1].options)
        elif ctx.person is not None:
            replies.append(await _menu_or_stranger(ctx, ""))
    return replies
