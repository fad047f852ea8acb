"""The concern flow's offer: this looks like an open concern of the village — attach the household to it?

Asked as soon as the village is known: right after the description when the flow came from a visit
(the household is known; attaching then skips the urgency question), otherwise after the household
is chosen. Nothing is asked when nothing is alike, so the usual path costs no tap. Attaching records
no new concern and posts nothing to the groups (a "+1 hộ" for every household would bury the
groups in repeats); the count shows in the leaders' views and ranks the digest.
"""

from __future__ import annotations

from core.i18n import _
from handlers.engine.flow import Answer, Ctx, Invalid, Prompt
from handlers.engine.types import Option, Reply
from models.concerns import group_posts, similar
from models.enums import ConcernCategory, ConcernStatus
from models.labels import STATUS_LABELS
from models.tables import Concern, Household

STEP = "similar"
ATTACH, NEW = "sm:a", "sm:n"
SNIPPET = 100


async def look(ctx: Ctx, village_id: int) -> bool:
    """Whether to ask: an open concern like this one is kept in the flow's data."""
    found = await similar.find_similar(
        ctx.session, village_id=village_id, category=ConcernCategory(ctx.data["category"]),
        description=ctx.data["description"], now=ctx.now)
    if found is None:
        ctx.drop("similar_id")
        return False
    ctx.put(similar_id=found.concern.id)
    return True


async def _household(ctx: Ctx) -> Household | None:
    household_id = ctx.data.get("household_id")
    return await ctx.session.get(Household, household_id) if household_id else None


async def ask(ctx: Ctx) -> Prompt:
    concern = await ctx.session.get(Concern, ctx.data["similar_id"])
    count = (await similar.household_counts(ctx.session, [concern.id]))[concern.id]
    owner = await ctx.session.get(Household, concern.household_id) if concern.household_id else None
    household = await _household(ctx)
    text = "\n".join([
        _("🔁 Thôn đã có ý kiến giống vậy:"),
        _("{reference} · {status} · {count} hộ đã phản ánh").format(
            reference=concern.reference, status=STATUS_LABELS[concern.status], count=count),
        "“{}”".format(group_posts.snippet(concern.description, hidden_name=owner.head_name if owner else None,
                                           limit=SNIPPET)),
    ])
    already = await similar.find_row(ctx.session, concern.id, household_id=household.id if household else None,
                                             reporter_id=ctx.person.id)
    if already is not None and household is not None:
        text += "\n" + _("Hộ {name} đã có trong ý kiến này.").format(name=household.head_name)
    elif household is not None:
        text += "\n" + _("Gắn hộ {name} vào ý kiến này để cùng nhận trả lời, thay vì ghi ý kiến mới?").format(
            name=household.head_name)
    else:
        text += "\n" + _("Gắn vào ý kiến này để cùng nhận trả lời, thay vì ghi ý kiến mới?")
    label = (_("➕ Gắn hộ này vào ý kiến {reference}") if household is not None
             else _("➕ Gắn vào ý kiến {reference}")).format(reference=concern.reference)
    return Prompt(text, (Option(ATTACH, label), Option(NEW, _("📝 Vẫn ghi ý kiến mới"))))


async def accept(ctx: Ctx, answer: Answer) -> str | None:
    key = answer.option.key if answer.option else ""
    if key not in (ATTACH, NEW):
        raise Invalid(_("Hãy chọn 1 (gắn vào ý kiến đã có) hoặc 2 (ghi ý kiến mới)."))
    concern = await ctx.session.get(Concern, ctx.data["similar_id"]) if key == ATTACH else None
    if key == ATTACH and concern is not None and concern.status != ConcernStatus.CLOSED:
        ctx.put(similar="attach")
        return None
    if key == ATTACH:  # closed meanwhile: the household's concern is recorded as a new one
        ctx.put(similar_closed=concern.reference if concern else "")
    ctx.put(similar="new")
    return "review" if "urgency" in ctx.data else "urgency"  # the flow's review step


async def attach(ctx: Ctx, household: Household | None) -> list[Reply]:
    """Adds the household to the concern offered, and says what happens next."""
    concern = await ctx.session.get(Concern, ctx.data["similar_id"])
    household_id = household.id if household is not None else None
    before = await similar.find_row(ctx.session, concern.id, household_id=household_id,
                                            reporter_id=ctx.person.id)
    if before is None:
        await similar.attach_household(
            ctx.session, concern, household_id=household_id, reporter_id=ctx.person.id, now=ctx.now,
            note=ctx.data["description"], photos=list(ctx.data.get("photos", [])), channel=ctx.incoming.channel)
    count = (await similar.household_counts(ctx.session, [concern.id]))[concern.id]
    if before is not None:
        if household is not None:
            text = _("ℹ️ Hộ {name} đã có trong ý kiến {reference} ({count} hộ cùng phản ánh); không ghi thêm.")
        else:
            text = _("ℹ️ Bạn đã gắn ý kiến ẩn danh vào {reference} ({count} hộ cùng phản ánh); không ghi thêm.")
        return [Reply(text.format(name=household.head_name if household else "", reference=concern.reference,
                                  count=count))]
    if household is not None:
        head = _("✅ Đã gắn hộ {name} vào ý kiến {reference}: nay {count} hộ cùng phản ánh. Không ghi ý kiến mới.")
    else:
        head = _("✅ Đã gắn vào ý kiến {reference}: nay {count} hộ cùng phản ánh. Không ghi ý kiến mới.")
    lines = [head.format(name=household.head_name if household else "", reference=concern.reference, count=count)]
    if concern.status == ConcernStatus.ANSWERED and concern.answer_text:
        lines.append(_("Ý kiến này đã có trả lời: {answer}").format(answer=concern.answer_text))
        lines.append(_("Hãy báo lại cho hộ."))
    else:
        lines.append(_("Khi có trả lời, bạn sẽ được báo để chuyển lại cho hộ."))
    return [Reply("\n".join(lines))]
