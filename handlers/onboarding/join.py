"""Joining by invite code: confirm the unit and role, say who you are, get the main menu."""

from __future__ import annotations

from core.i18n import _, __
from core.text import normalize_phone
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Step
from handlers.engine.steps import TextRule
from handlers.engine.types import Option, Reply
from models.enums import Role, UnitKind
from models.labels import ROLE_LABELS
from models.people import invites
from models.people.invites import InviteProblem
from models.people.onboarding import AlreadyLinked, join
from models.tables import InviteCode, OrgUnit
from models.units import tree

FULL_NAME = TextRule(80, __("Hãy gõ họ và tên đầy đủ, ví dụ: Nguyễn Văn An."), __("Họ tên quá dài."), minimum=4)


def problem_text(problem: InviteProblem) -> str:
    return {
        InviteProblem.UNKNOWN: _("Mã mời không đúng. Kiểm tra lại hoặc xin tổ trưởng mã mới."),
        InviteProblem.EXPIRED: _("Mã mời đã hết hạn. Xin tổ trưởng một mã mới."),
        InviteProblem.USED_UP: _("Mã mời đã được dùng hết. Xin tổ trưởng một mã mới."),
        InviteProblem.REVOKED: _("Mã mời đã bị thu hồi. Xin tổ trưởng một mã mới."),
    }[problem]


async def _invite(ctx: Ctx) -> InviteCode:
    found = await invites.check_invite(ctx.session, ctx.data.get("code", ""), now=ctx.now)
    if isinstance(found, InviteProblem):
        raise Invalid(problem_text(found))
    return found


async def start(ctx: Ctx) -> str:
    invite = await _invite(ctx)
    unit = await ctx.session.get(OrgUnit, invite.unit_id)
    names = [u.name for u in await tree.lineage(ctx.session, unit) if u.kind != UnitKind.PROVINCE]
    ctx.put(invite_id=invite.id, unit_label=" › ".join(names), role=invite.role.value)
    return "confirm"


async def ask_confirm(ctx: Ctx) -> Prompt:
    text = _("Mã mời này cho vai trò {role} tại:\n{unit}\nBạn đồng ý tham gia?").format(
        role=ROLE_LABELS[Role(ctx.data["role"])], unit=ctx.data["unit_label"])
    return Prompt(text, (Option("y", _("Đồng ý")), Option("n", _("Hủy"))), columns=2)


async def accept_confirm(ctx: Ctx, answer: Answer) -> str | None:
    key = answer.option.key if answer.option else ""
    if key == "n":
        ctx.put(declined=True)
        return None
    if key != "y":
        raise Invalid(_("Chọn 1 (Đồng ý) hoặc 2 (Hủy)."))
    invite = await ctx.session.get(InviteCode, ctx.data["invite_id"])
    return None if ctx.person is not None or invite.person_id else "name"


async def ask_name(ctx: Ctx) -> Prompt:
    return Prompt(_("Họ và tên của bạn (như trong danh sách tổ)?"))


async def accept_name(ctx: Ctx, answer: Answer) -> str:
    name = " ".join(answer.text.split())
    if any(ch.isdigit() for ch in name):
        raise Invalid(str(FULL_NAME.too_short))
    ctx.put(full_name=FULL_NAME.check(name))
    return "phone"


async def ask_phone(ctx: Ctx) -> Prompt:
    return Prompt(_("Số điện thoại của bạn (để nhận đúng tên trong danh sách), hoặc bỏ qua:"),
                  (Option("skip", _("Bỏ qua")),))


async def accept_phone(ctx: Ctx, answer: Answer) -> None:
    if answer.option is not None:
        return None
    phone = normalize_phone(answer.text)
    if phone is None:
        raise Invalid(_("Số điện thoại Việt Nam có 10 chữ số, bắt đầu bằng 0 (ví dụ 0912345678)."))
    ctx.put(phone=phone)
    return None


async def finish(ctx: Ctx) -> list[Reply]:
    if ctx.data.get("declined"):
        return [Reply(_("Đã hủy. Bạn có thể gửi lại mã mời bất cứ lúc nào."))]
    try:
        invite = await _invite(ctx)  # checked again: it may have expired or been used meanwhile
    except Invalid as error:  # finish runs outside the step's Invalid handling: answer here
        return [Reply(str(error))]
    incoming = ctx.incoming
    try:
        person = await join(ctx.session, invite, channel=incoming.channel, user_id=incoming.user_id,
                            chat_id=incoming.chat_id, full_name=ctx.data.get("full_name") or incoming.display_name
                            or _("Thành viên"), phone=ctx.data.get("phone"), display_name=incoming.display_name,
                            locale=None, existing=ctx.person, now=ctx.now)
    except AlreadyLinked:
        return [Reply(_("Tài khoản này đã gắn với người khác. Liên hệ tổ trưởng."))]
    if person is None:
        return [Reply(problem_text(InviteProblem.USED_UP))]
    ctx.person = person
    return [Reply(_("Chào mừng {name}! Bạn đã tham gia với vai trò {role} tại {unit}.").format(
        name=person.full_name, role=ROLE_LABELS[Role(ctx.data["role"])], unit=ctx.data["unit_label"]))]


FLOW = Flow(
    name="onboarding", first="confirm", finish=finish, start=start, needs_person=False,
    steps={
        "confirm": Step("confirm", ask_confirm, accept_confirm, next=("name",)),
        "name": Step("name", ask_name, accept_name, free_text=True, next=("phone",)),
        "phone": Step("phone", ask_phone, accept_phone, free_text=True),
    },
)
