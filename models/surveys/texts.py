"""What surveys say, shared by the flows, the job and the CLI: numbers, results as text, chart and XLSX tables."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from core.i18n import _, current_locale, format_date
from models.surveys.results import NO_VILLAGE, QuestionResult, Results
from models.surveys.tables import Survey
from reports.charts import bar_chart
from reports.tables import Table

OPEN_KEY = "svp"  # the button on a survey sent to a person: "svp:<survey id>"


def number(value: float | int) -> str:
    """1.240 and 86,5 in Vietnamese; 1,240 and 86.5 in English."""
    return format_decimal(value, format="#,##0.##", locale=current_locale())


def percent(part: int, whole: int) -> str:
    """"86,5 %" (Vietnamese keeps a space before the sign); "–" when nobody answered."""
    if not whole:
        return "–"
    value = format_decimal(round(100 * part / whole, 1), format="#,##0.#", locale=current_locale())
    return f"{value} %" if current_locale() == "vi" else f"{value}%"


def deadline_text(survey: Survey, tz: ZoneInfo) -> str:
    local = survey.deadline.astimezone(tz)
    return _("{time} {date}").format(time=local.strftime("%H:%M"), date=format_date(local.date()))


def village_name(results: Results, village_id: int) -> str:
    return _("Cấp xã") if village_id == NO_VILLAGE else results.villages[village_id]


def invitation(survey: Survey, count: int, tz: ZoneInfo) -> str:
    return _("📋 Khảo sát “{title}” ({count} câu hỏi). Mời bạn trả lời trước {deadline}.").format(
        title=survey.title, count=count, deadline=deadline_text(survey, tz))


def reminder(survey: Survey, tz: ZoneInfo) -> str:
    return _("⏰ Nhắc: bạn chưa trả lời xong khảo sát “{title}”; hạn là {deadline}.").format(
        title=survey.title, deadline=deadline_text(survey, tz))


def answer_button() -> str:
    return _("📋 Trả lời khảo sát")


def results_text(results: Results) -> str:
    """Counts and percentages per option, for the commune and then by village."""
    survey = results.form.survey
    lines = [_("📊 Kết quả khảo sát “{title}”: {count} phiếu hoàn thành.").format(
        title=survey.title, count=number(results.completed_total))]
    for index, question in enumerate(results.questions, 1):
        lines += ["", _("Câu {number}. {label}").format(number=index, label=question.label)]
        if not question.is_choice:
            lines.append(_("  {count} phiếu đã trả lời.").format(count=number(question.answered_total)))
            continue
        lines += _option_lines(question, None)
        if len(results.villages) > 1:
            for village_id in results.villages:
                if question.answered.get(village_id):
                    lines.append("  " + village_name(results, village_id) + ":")
                    lines += ["  " + line for line in _option_lines(question, village_id)]
    return "\n".join(lines)


def _option_lines(question: QuestionResult, village_id: int | None) -> list[str]:
    whole = question.answered_total if village_id is None else question.answered.get(village_id, 0)
    lines = []
    for option in question.options:
        count = option.total if village_id is None else option.by_village.get(village_id, 0)
        lines.append(_("  • {label}: {count} ({percent})").format(label=option.label, count=number(count),
                                                                 percent=percent(count, whole)))
    return lines


def results_tables(results: Results) -> list[Table]:
    """One sheet: each option's count and share for the commune and by village; a second with the forms per village."""
    villages = list(results.villages)
    columns = (_("Câu hỏi"), _("Lựa chọn"), _("Toàn xã"), _("Tỷ lệ toàn xã (%)"),
               *(village_name(results, v) for v in villages))
    rows = []
    for index, question in enumerate(results.questions, 1):
        if not question.is_choice:
            rows.append((f"{index}. {question.label}", _("(đã trả lời)"), question.answered_total, None,
                         *(question.answered.get(v, 0) for v in villages)))
            continue
        for option in question.options:
            share = round(100 * option.total / question.answered_total, 1) if question.answered_total else None
            rows.append((f"{index}. {question.label}", option.label, option.total, share,
                         *(option.by_village.get(v, 0) for v in villages)))
    forms = Table(_("Phiếu theo thôn"), (_("Thôn/Tổ dân phố"), _("Phiếu hoàn thành")),
                  tuple((village_name(results, v), results.completed.get(v, 0)) for v in villages))
    return [Table(_("Kết quả khảo sát"), columns, tuple(rows)), forms]


def results_chart(results: Results, question_index: int) -> bytes | None:
    """The choice question's options as bars, one series per village (at most three, else the commune's total)."""
    question = results.questions[question_index]
    if not question.is_choice:
        return None
    labels = [option.label for option in question.options]
    villages = [v for v in results.villages if question.answered.get(v)]
    if 1 < len(villages) <= 3:
        series = {village_name(results, v): [float(o.by_village.get(v, 0)) for o in question.options]
                  for v in villages}
    else:
        series = {_("Toàn xã"): [float(o.total) for o in question.options]}
    return bar_chart(question.label, labels, series)


def closed_notice(survey: Survey) -> str:
    return _("Khảo sát “{title}” đã kết thúc.").format(title=survey.title)
