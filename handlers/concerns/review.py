"""The concern flow's last step: what will be saved, with "✅ Lưu" first and a way to change each part.

A wrong category or household is cheap to fix here and costly once the groups have read it. A part
changed from here comes straight back to this step (`then`), without asking the rest again.
"""

from __future__ import annotations

from core.i18n import _
from handlers.engine.flow import Answer, Ctx, Invalid, Prompt
from handlers.engine.types import Option
from models.enums import ConcernCategory, Urgency
from models.labels import CATEGORY_LABELS, URGENCY_LABELS
from models.tables import Household

STEP = "review"
SAVE = "rv:save"
SHOWN = 700  # characters of the description on the review screen (it may hold 2,000)
EDITS = ("description", "category", "urgency", "household")


def then(ctx: Ctx, step: str | None) -> str | None:
    """Where an answer leads: back to the review once it has been shown, else `step`."""
    return STEP if ctx.data.get("reviewing") else step


async def ask(ctx: Ctx) -> Prompt:
    ctx.put(reviewing=True)
    household_id = ctx.data.get("household_id")
    household = await ctx.session.get(Household, household_id) if household_id else None
    who = household.head_name if household is not None else _("ẩn danh / nhiều hộ")
    description = ctx.data["description"]
    if len(description) > SHOWN:
        description = description[:SHOWN].rstrip() + "… " + _("({count} ký tự)").format(count=len(description))
    lines = [_("📋 Kiểm tra trước khi lưu:"), _("Hộ: {name}").format(name=who),
             _("Lĩnh vực: {category} · Mức độ: {urgency}").format(
                 category=CATEGORY_LABELS[ConcernCategory(ctx.data["category"])],
                 urgency=URGENCY_LABELS[Urgency(ctx.data["urgency"])]),
             _("Nội dung: {text}").format(text=description)]
    if photos := len(ctx.data.get("photos", [])):
        lines.append(_("Ảnh: {count}").format(count=photos))
    options = [Option(SAVE, _("✅ Lưu")), Option("rv:description", _("✏️ Sửa nội dung")),
               Option("rv:category", _("✏️ Sửa lĩnh vực")), Option("rv:urgency", _("✏️ Sửa mức độ"))]
    if not ctx.data.get("household_first"):  # from a visit the household is the one visited
        options.append(Option("rv:household", _("✏️ Đổi hộ")))
    return Prompt("\n".join(lines), tuple(options), columns=2)


async def accept(ctx: Ctx, answer: Answer) -> str | None:
    key = answer.option.key if answer.option else ""
    if key == SAVE:
        return None
    if key.startswith("rv:") and key[3:] in EDITS:
        return key[3:]
    raise Invalid(_("Hãy chọn “✅ Lưu”, hoặc phần cần sửa."))
