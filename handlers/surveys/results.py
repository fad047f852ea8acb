"""🗳 Khảo sát (the commune's office): its surveys, a new one, and each one's results as text, chart and XLSX."""

from __future__ import annotations

from core.i18n import _
from handlers.engine.flow import Ctx
from handlers.engine.keys import key_number
from handlers.engine.outside_flows import SLOW, action
from handlers.engine.types import Option, Reply
from models import access
from models.outbox.enqueue import PHONE_APPS, enqueue, payload
from models.surveys import answering, media
from models.surveys.results import results
from models.surveys.tables import SurveyStatus
from models.surveys.texts import deadline_text, results_text

RESULTS_KEY = "svr"
NEW_KEY = "m:svnew"
SLOW.add(RESULTS_KEY)


async def surveys_screen(ctx: Ctx) -> list[Reply]:
    communes = access.survey_communes(await ctx.roles())
    if not communes:
        return [Reply(_("Mục này dành cho lãnh đạo xã."))]
    surveys = await answering.surveys_of(ctx.session, [c.id for c in communes])
    options = [Option(NEW_KEY, _("➕ Soạn khảo sát mới"))]
    lines = [_("🗳 Khảo sát của xã:") if surveys else _("🗳 Xã chưa có khảo sát nào.")]
    for survey in surveys:
        state = (_("đang mở, hạn {deadline}").format(deadline=deadline_text(survey, ctx.tz))
                 if answering.is_open(survey, ctx.now) else _("đã kết thúc"))
        lines.append(f"• {survey.title} ({state})")
        options.append(Option(f"{RESULTS_KEY}:{survey.id}", _("📊 {title}").format(title=survey.title[:50])))
    lines.append(_("Soạn trên máy tính: gandan survey import tệp.xlsx (mẫu XLSForm)."))
    return [Reply("\n".join(lines), tuple(options))]


@action(RESULTS_KEY)
async def show_results(ctx: Ctx, key: str) -> list[Reply]:
    survey_id = key_number(key.split(":", 1)[1]) if ":" in key else None
    found = await results(ctx.session, survey_id) if survey_id is not None else None
    if found is None:
        return [Reply(_("Nút này đã cũ."))]
    held = await ctx.roles()
    if not any(c.id == found.form.survey.commune_id for c in access.survey_communes(held)):
        return [Reply(_("Kết quả khảo sát dành cho lãnh đạo xã."))]
    text = results_text(found)
    if found.form.survey.status == SurveyStatus.OPEN and answering.is_open(found.form.survey, ctx.now):
        text += "\n\n" + _("(Khảo sát còn mở đến {deadline}; chỉ tính phiếu đã hoàn thành.)").format(
            deadline=deadline_text(found.form.survey, ctx.tz))
    if ctx.incoming.channel in PHONE_APPS:
        photo_id, sheet_id = await media.store(ctx.session, found, ctx.now)
        body = payload(_("📎 Biểu đồ và bảng số liệu: {title}").format(title=found.form.survey.title),
                       photo_attachment=photo_id, document_attachment=sheet_id)
        asked = ctx.incoming.message_id or ctx.now.isoformat()
        await enqueue(ctx.session, key=f"survey:results:{ctx.incoming.chat_id}:{asked}:s{survey_id}",
                      channel=ctx.incoming.channel, chat_id=ctx.incoming.chat_id, kind="survey_files", body=body,
                      not_before=ctx.now, person_id=ctx.person.id)
        text += "\n" + _("📎 Biểu đồ và bảng tính gửi ngay sau tin này.")
    return [Reply(text, (Option("m:surveys", _("↩ Danh sách khảo sát")), Option("m:main", _("🏠 Trang chính"))),
                  columns=2)]
