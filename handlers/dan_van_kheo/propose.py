"""➕ Đề xuất mô hình: name, field, what it does, a photo, then confirm; the khối dân vận head is told."""

from __future__ import annotations

from core.i18n import _, __
from handlers.engine.flow import Answer, Ctx, Flow, Invalid, Prompt, Step
from handlers.engine.keys import key_number
from handlers.engine.steps import LabelChoice, TextRule, choice_step, text_step
from handlers.engine.types import Option, Reply
from models import access
from models.dan_van_kheo.proposals import DESCRIPTION_MAX, NAME_MAX, Proposal, propose
from models.enums import Channel, ModelField
from models.labels import MODEL_FIELD_LABELS
from models.tables import OrgUnit

NAME = TextRule(NAME_MAX, __("Tên mô hình cần có chữ (ít nhất {min} ký tự)."),
                __("Tên dài {count} ký tự; tối đa {max}."), minimum=3)
ABOUT = TextRule(DESCRIPTION_MAX, __("Hãy gõ vài câu về cách làm và kết quả của mô hình (ít nhất {min} ký tự)."),
                 __("Nội dung dài {count} ký tự; tối đa {max}."), minimum=20)
FIELDS = LabelChoice("f:", MODEL_FIELD_LABELS, __("Hãy chọn lĩnh vực bằng số từ 1 đến {count}."))
REFUSED = __("Đề xuất mô hình “Dân vận khéo” dành cho tổ trưởng.")


async def start(ctx: Ctx) -> str:
    teams = access.proposing_teams(await ctx.roles())
    if not teams:
        raise Invalid(str(REFUSED))
    if len(teams) == 1:
        ctx.put(team_id=teams[0].id)
        return "name"
    return "team"


async def ask_team(ctx: Ctx) -> Prompt:
    teams = access.proposing_teams(await ctx.roles())
    return Prompt(_("Mô hình của tổ nào?"), tuple(Option(f"dt:{t.id}", t.name[:60]) for t in teams))


async def accept_team(ctx: Ctx, answer: Answer) -> str:
    key = answer.option.key if answer.option else ""
    team_id = key_number(key[3:]) if key.startswith("dt:") else None
    if team_id is None or team_id not in {t.id for t in access.proposing_teams(await ctx.roles())}:
        raise Invalid(_("Hãy chọn một tổ trong danh sách."))
    ctx.put(team_id=team_id)
    return "name"


async def ask_name(ctx: Ctx) -> Prompt:
    return Prompt(_("🌟 Đề xuất mô hình “Dân vận khéo” — gõ tên mô hình, ví dụ “Con đường bích họa”:"))


async def ask_about(ctx: Ctx) -> Prompt:
    return Prompt(_("Mô hình làm gì, ai tham gia, kết quả ra sao (tối đa {max} ký tự)?").format(max=ABOUT.maximum))


async def ask_photo(ctx: Ctx) -> Prompt:
    return Prompt(_("Gửi một ảnh của mô hình, hoặc chọn “Không có ảnh”."), (Option("dp:none", _("Không có ảnh")),))


async def accept_photo(ctx: Ctx, answer: Answer) -> str:
    if answer.photo:
        ctx.put(photo=answer.photo, photo_channel=ctx.incoming.channel.value)
        return "confirm"
    if answer.option is not None and answer.option.key == "dp:none":
        ctx.put(photo=None, photo_channel=None)
        return "confirm"
    raise Invalid(_("Hãy gửi một ảnh, hoặc chọn “Không có ảnh”."))


async def ask_confirm(ctx: Ctx) -> Prompt:
    team = await ctx.session.get(OrgUnit, ctx.data["team_id"])
    lines = [_("Xem lại đề xuất:"), f"🌟 {ctx.data['name']} — {team.name if team else ''}",
             _("Lĩnh vực: {field}").format(field=MODEL_FIELD_LABELS[ModelField(ctx.data["field"])]),
             ctx.data["description"], _("Ảnh: có") if ctx.data.get("photo") else _("Ảnh: không")]
    return Prompt("\n".join(lines), (Option("dc:yes", _("✅ Gửi đề xuất")), Option("dc:no", _("✖ Hủy"))), columns=2)


async def accept_confirm(ctx: Ctx, answer: Answer) -> None:
    key = answer.option.key if answer.option else ""
    if key not in ("dc:yes", "dc:no"):
        raise Invalid(_("Hãy chọn “✅ Gửi đề xuất” hoặc “✖ Hủy”."))
    ctx.put(confirmed=key == "dc:yes")


async def finish(ctx: Ctx) -> list[Reply]:
    if not ctx.data.get("confirmed"):
        return [Reply(_("Đã hủy, không gửi đề xuất."))]
    team = await ctx.session.get(OrgUnit, ctx.data["team_id"])
    if team is None or not access.may_propose_model(await ctx.roles(), team):
        return [Reply(str(REFUSED))]
    channel = ctx.data.get("photo_channel")
    model = await propose(ctx.session, Proposal(team, ctx.data["name"], ModelField(ctx.data["field"]),
                                                ctx.data["description"], ctx.data.get("photo"),
                                                Channel(channel) if channel else None),
                          person_id=ctx.person.id, now=ctx.now, tz=ctx.tz)
    return [Reply(_("✅ Đã gửi đề xuất mô hình “{name}” tới trưởng khối dân vận xã để duyệt.").format(name=model.name))]


FLOW = Flow(
    name="dvk_propose", first="name", finish=finish, start=start, start_steps=("team",),
    steps={
        "team": Step("team", ask_team, accept_team, next=("name",)),
        "name": text_step("name", ask_name, NAME, then="field"),
        "field": choice_step("field", lambda ctx: _("Lĩnh vực của mô hình?"), FIELDS, then="about"),
        "about": text_step("about", ask_about, ABOUT, key="description", then="photo"),
        "photo": Step("photo", ask_photo, accept_photo, free_text=True, next=("confirm",)),
        "confirm": Step("confirm", ask_confirm, accept_confirm),
    },
)
