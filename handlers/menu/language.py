"""Choosing the language: Vietnamese by default, English per person."""

from __future__ import annotations

from babel import Locale

from core.i18n import _, use_locale
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Step
from handlers.engine.types import Option, Reply
from models import audit

LOCALES = ("vi", "en")


def endonym(code: str) -> str:
    """A language's name in that language (Tiếng Việt, English), so anyone can find their own."""
    name = Locale.parse(code).display_name or code
    return name[:1].upper() + name[1:]


async def ask(ctx: Ctx) -> Prompt:
    return Prompt(_("🌐 Chọn ngôn ngữ:"), tuple(Option(f"l:{code}", endonym(code)) for code in LOCALES), columns=2)


async def accept(ctx: Ctx, answer: Answer) -> None:
    if answer.option is None:
        raise Invalid(_("Chọn 1 hoặc 2."))
    ctx.put(locale=answer.option.key[2:])
    return None


async def finish(ctx: Ctx) -> list[Reply]:
    locale = ctx.data["locale"]
    ctx.person.locale = locale
    audit.record(ctx.session, "set_language", "person", ctx.person.id, actor_id=ctx.person.id,
                 actor_label=f"person:{ctx.person.id}", details={"locale": locale})
    with use_locale(locale):
        return [Reply(_("Đã chuyển sang tiếng Việt."))]


FLOW = Flow(name="language", first="language", finish=finish,
            steps={"language": Step("language", ask, accept)})
