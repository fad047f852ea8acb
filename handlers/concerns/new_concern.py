"""Log a concern (ý kiến, kiến nghị, phản ánh): category, description, urgency, household — or attach
the household to a similar open concern of the village instead (`handlers/concerns/similar_offer.py`)."""

from __future__ import annotations

from dataclasses import dataclass

from core.i18n import _, __, format_date
from handlers.concerns import review, similar_offer
from handlers.concerns.undo import undo_option
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Stay, Step
from handlers.engine.steps import LabelChoice, TextRule
from handlers.engine.types import Option, Reply
from handlers.households.picker import accept_household, ask_household
from models.concerns.group_notice import post_new_concern
from models.concerns.record import UNDO_WINDOW, record_concern
from models.enums import ConcernCategory, UnitKind, Urgency
from models.labels import CATEGORY_LABELS, URGENCY_LABELS
from models.tables import Household
from models.units import tree

DESCRIPTION_MIN, DESCRIPTION_MAX, MAX_PHOTOS = 5, 2000, 5
CATEGORIES = LabelChoice("c:", CATEGORY_LABELS, __("Hãy chọn lĩnh vực bằng số từ 1 đến {count}."))
URGENCIES = LabelChoice("u:", URGENCY_LABELS, __("Hãy chọn 1 (Bình thường) hoặc 2 (Khẩn)."), columns=2)
DESCRIPTION = TextRule(DESCRIPTION_MAX, __("Hãy gõ nội dung bằng chữ (ít nhất {min} ký tự)."),
                       __("Nội dung dài {count} ký tự; tối đa {max}."), minimum=DESCRIPTION_MIN)


async def start(ctx: Ctx) -> str:
    if ctx.data.get("household_id"):  # from a visit: the village is known before the urgency is asked
        ctx.put(household_first=True)
    return "category"


def category_text(ctx: Ctx) -> str:
    prefilled = ctx.data.get("household_id")
    head = _("📣 Ghi ý kiến, kiến nghị") + (_(" của hộ {name}").format(name=ctx.data.get("household_name", ""))
                                           if prefilled and ctx.data.get("household_name") else "")
    return head + "\n" + _("Lĩnh vực?")


async def ask_category(ctx: Ctx) -> Prompt:
    return CATEGORIES.prompt(category_text(ctx))


async def accept_category(ctx: Ctx, answer: Answer) -> str | None:
    ctx.put(category=CATEGORIES.choose(answer).value)
    return review.then(ctx, "description")


async def ask_description(ctx: Ctx) -> Prompt:
    photos = len(ctx.data.get("photos", []))
    text = _("Nội dung ý kiến, kiến nghị (gõ vài câu; có thể gửi kèm ảnh):")
    if photos:
        text += "\n" + _("Đã nhận {count} ảnh.").format(count=photos)
    return Prompt(text)


async def accept_description(ctx: Ctx, answer: Answer) -> str:
    if answer.photo:
        photos = list(ctx.data.get("photos", []))
        if len(photos) >= MAX_PHOTOS:
            raise Invalid(_("Tối đa {max} ảnh cho một ý kiến.").format(max=MAX_PHOTOS))
        ctx.put(photos=[*photos, answer.photo])
        if not answer.text.strip():
            raise Stay(_("Đã nhận ảnh."))
    ctx.put(description=DESCRIPTION.check(answer.text))
    if ctx.data.get("reviewing"):
        return review.STEP
    if ctx.data.get("household_first") and await _offer_similar(ctx):
        return similar_offer.STEP
    return "urgency"


async def ask_urgency(ctx: Ctx) -> Prompt:
    return URGENCIES.prompt(_("Mức độ?"))


async def accept_urgency(ctx: Ctx, answer: Answer) -> str | None:
    ctx.put(urgency=URGENCIES.choose(answer).value)
    return review.then(ctx, review.STEP if ctx.data.get("household_id") else "household")


ANONYMOUS = "anon"


async def ask_household_step(ctx: Ctx) -> Prompt:
    return await ask_household(ctx, _("Ý kiến của hộ nào?"),
                               (Option(ANONYMOUS, _("👥 Ẩn danh / nhiều hộ")),))


async def accept_household_step(ctx: Ctx, answer: Answer) -> str | None:
    household = await accept_household(ctx, answer)
    if household is None:
        if answer.option is None or answer.option.key != ANONYMOUS:
            raise Invalid(_("Hãy chọn một hộ, hoặc “Ẩn danh / nhiều hộ”."))
        ctx.drop("household_id")
        ctx.put(several=True)
    else:
        ctx.drop("several")
        ctx.put(household_id=household.id)
    return similar_offer.STEP if await _offer_similar(ctx) else review.STEP


@dataclass(frozen=True)
class Place:
    commune_id: int
    village_id: int
    nhom_id: int | None
    household: Household | None


async def _place(ctx: Ctx) -> Place | None:
    """Where the concern belongs: the household's village, or for an anonymous one the reporter's own."""
    household = await ctx.session.get(Household, ctx.data["household_id"]) if ctx.data.get("household_id") else None
    if household is not None:
        return Place(household.commune_id, household.village_id, household.nhom_id, household)
    held = await ctx.roles()
    home = next((h.unit for h in held if h.unit.kind in (UnitKind.NHOM, UnitKind.TEAM, UnitKind.VILLAGE)), None)
    village = await tree.ancestor(ctx.session, home, UnitKind.VILLAGE) if home else None
    commune = await tree.ancestor(ctx.session, home, UnitKind.COMMUNE) if home else None
    if village is None or commune is None:
        return None
    return Place(commune.id, village.id, home.id if home.kind == UnitKind.NHOM else None, None)


async def _offer_similar(ctx: Ctx) -> bool:
    place = await _place(ctx)
    return place is not None and await similar_offer.look(ctx, place.village_id)


async def finish(ctx: Ctx) -> list[Reply]:
    place = await _place(ctx)
    if place is None:
        return [Reply(_("Ý kiến ẩn danh cần gắn với một thôn; bạn chưa thuộc thôn nào. Hãy chọn một hộ."))]
    household, commune_id, village_id, nhom_id = place.household, place.commune_id, place.village_id, place.nhom_id
    if ctx.data.get("similar") == "attach":
        return await similar_offer.attach(ctx, household)
    concern = await record_concern(
        ctx.session, reporter_id=ctx.person.id, commune_id=commune_id, village_id=village_id, nhom_id=nhom_id,
        household=household, several_households=bool(ctx.data.get("several")),
        category=ConcernCategory(ctx.data["category"]), urgency=Urgency(ctx.data["urgency"]),
        description=ctx.data["description"], photos=list(ctx.data.get("photos", [])),
        channel=ctx.incoming.channel, now=ctx.now, year=ctx.today.year,
    )
    await post_new_concern(ctx.session, concern, household, locale=ctx.default_locale, now=ctx.now, tz=ctx.tz,
                           held=UNDO_WINDOW)
    due = concern.due_at.astimezone(ctx.tz).date()
    who = household.head_name if household else _("ẩn danh / nhiều hộ")
    closed = ctx.data.get("similar_closed")
    notice = _("Ý kiến {reference} vừa được đóng nên ý kiến này được ghi mới.").format(reference=closed) + "\n" \
        if closed else ""
    return [Reply(notice + _("✅ Đã ghi ý kiến {reference} ({who}).\nLĩnh vực: {category}. Mức độ: {urgency}.\n"
                    "Hạn trả lời: {due}. Bạn sẽ được báo khi có trả lời.").format(
        reference=concern.reference, who=who, category=CATEGORY_LABELS[concern.category],
        urgency=URGENCY_LABELS[concern.urgency], due=format_date(due))
        + "\n" + _("(Có thể hoàn tác trong 10 phút.)"),
        (Option("m:main", _("🏠 Trang chính")), undo_option(concern)), columns=2)]


FLOW = Flow(
    name="concern", first="category", finish=finish, start=start,
    steps={
        "category": Step("category", ask_category, accept_category, next=("description", review.STEP)),
        "description": Step("description", ask_description, accept_description, free_text=True,
                            next=(similar_offer.STEP, "urgency", review.STEP)),
        "urgency": Step("urgency", ask_urgency, accept_urgency, next=("household", review.STEP)),
        "household": Step("household", ask_household_step, accept_household_step,
                          next=(similar_offer.STEP, review.STEP)),
        similar_offer.STEP: Step(similar_offer.STEP, similar_offer.ask, similar_offer.accept,
                                 next=("urgency", review.STEP)),
        review.STEP: Step(review.STEP, review.ask, review.accept, next=review.EDITS),
    },
)
