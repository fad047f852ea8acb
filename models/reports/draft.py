"""The words of a report: sections I–V in the documents' order, sentences drafted by rules from the data.

A sentence is drafted (DRAFTED, for the person to check) only where the data says something; the
rest are marked places to write (TO_WRITE). A figure only people know that is still blank shows
as "……" inside its sentence, never as a zero.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.i18n import _
from models.enums import UnitKind
from models.labels import CATEGORY_LABELS
from models.reports.fields import FieldValue
from models.reports.figures import Activity
from models.reports.numbers import number, percent
from models.reports.periods import Period
from reports.official import BLANK, Paragraph, ParagraphKind, ReportKind, Section

GOOD_SHARE = 80  # per cent: visits and answers at or above it are a strength, below it a weakness
TOP_CATEGORIES = 3


def drafted(text: str) -> Paragraph:
    return Paragraph(text, ParagraphKind.DRAFTED)


def to_write(text: str = BLANK) -> Paragraph:
    return Paragraph(text, ParagraphKind.TO_WRITE)


def during(period: Period) -> str:
    """"Trong 6 tháng", "Trong năm", "Trong 3 năm": how the sentences open."""
    if period.kind == ReportKind.HALF_YEAR:
        return _("Trong 6 tháng")
    if period.kind == ReportKind.ANNUAL:
        return _("Trong năm")
    if period.founded is not None:
        return _("Từ khi thành lập")
    return _("Trong {years} năm").format(years=period.years)


def _share(part: int, whole: int) -> int:
    return 100 * part // whole if whole else 0


class Draft:
    """The drafting rules for one unit's report: its figures, its fields, whose words (village or commune)."""

    def __init__(self, *, kind: UnitKind, place: str, period: Period, activity: Activity, villages: int,
                 fields: Mapping[str, FieldValue]) -> None:
        self.kind, self.place, self.period, self.a, self.villages, self.fields = (
            kind, place, period, activity, villages, fields)
        # Who did the work: a village has its one team, a commune all of them.
        self.teams = _("các tổ") if kind == UnitKind.COMMUNE else _("tổ")

    def _field(self, key: str) -> str:
        value = self.fields.get(key)
        return value.shown if value is not None and value.shown is not None else BLANK

    def _with_fields(self, text: str, *keys: str) -> Paragraph:
        """Drafted when at least one of its fields is given; otherwise a sentence to complete."""
        given = any(self.fields.get(k) is not None and self.fields[k].value is not None for k in keys)
        return drafted(text) if given else to_write(text)

    # --- I ----------------------------------------------------------------------------------------------
    def situation(self) -> Section:
        a = self.a
        if self.kind == UnitKind.COMMUNE:
            make_up = _("{place} có {villages} thôn, tổ dân phố với {teams} Tổ Dân vận cộng đồng, {members} thành "
                        "viên, chia thành {nhom} nhóm, phụ trách {households} hộ gia đình.").format(
                place=self.place[:1].upper() + self.place[1:], villages=number(self.villages), teams=number(a.teams),
                members=number(a.members),
                nhom=number(a.nhom), households=number(a.households))
            land = _("Tổng diện tích tự nhiên {area} ha, dân số {population} người. Đảng bộ có {party} đảng viên, "
                     "sinh hoạt ở {chi_bo} chi bộ.").format(
                area=self._field("area"), population=self._field("population"),
                party=self._field("party_members"), chi_bo=self._field("chi_bo"))
            land_paragraph = self._with_fields(land, "area", "population", "party_members", "chi_bo")
        else:
            make_up = _("Tổ Dân vận cộng đồng {place} có {members} thành viên, chia thành {nhom} nhóm, phụ trách "
                        "{households} hộ gia đình.").format(
                place=self.place, members=number(a.members), nhom=number(a.nhom), households=number(a.households))
            land = _("Diện tích tự nhiên {area} ha, dân số {population} người; chi bộ có {party} đảng viên.").format(
                area=self._field("area"), population=self._field("population"), party=self._field("party_members"))
            land_paragraph = self._with_fields(land, "area", "population", "party_members")
        return Section("I", _("ĐẶC ĐIỂM TÌNH HÌNH"), (
            drafted(make_up), land_paragraph,
            to_write(_("* Thuận lợi: ……")), to_write(_("* Khó khăn: ……"))))

    # --- II ---------------------------------------------------------------------------------------------
    def visits(self) -> tuple[Paragraph, ...]:
        a = self.a
        if not a.households:
            return (to_write(),)
        lines = [drafted(_("{during}, {teams} đã thăm {visits} lượt hộ, đạt {share} số hộ được phân công "
                           "({reached}/{households} hộ được thăm ít nhất một lần).").format(
            during=during(self.period), teams=self.teams, visits=number(a.visits),
            share=percent(a.reached, a.households),
            reached=number(a.reached), households=number(a.households)))]
        if a.not_reached:
            lines.append(drafted(_("Còn {count} hộ chưa được thăm trong kỳ.").format(count=number(a.not_reached))))
        if a.announcements:
            lines.append(drafted(_("Đã gửi {count} thông báo đến thành viên; {share} lượt người nhận đã xác nhận "
                                   "đã nhận.").format(count=number(a.announcements),
                                                      share=percent(a.acknowledged, a.receipts) or "—")))
        return tuple(lines)

    def concerns(self) -> tuple[Paragraph, ...]:
        a = self.a
        if not (a.opened or a.answered or a.open):
            return (drafted(_("{during}, {teams} chưa ghi nhận ý kiến, kiến nghị nào của Nhân dân.").format(
                during=during(self.period), teams=self.teams)),)
        lines = []
        top = [(c, n) for c, n in a.by_category.most_common() if n][:TOP_CATEGORIES]
        most = "; ".join(_("{category} ({count})").format(category=str(CATEGORY_LABELS[c]).lower(), count=number(n))
                         for c, n in top)
        if a.opened:
            lines.append(drafted(_("{during}, {teams} đã tiếp nhận {count} ý kiến, kiến nghị của Nhân dân, nhiều nhất "
                                   "về {most}.").format(during=during(self.period), teams=self.teams,
                                                        count=number(a.opened),
                                                        most=most)))
        if a.answered:
            lines.append(drafted(_("Đã trả lời {answered} ý kiến, trong đó {on_time} ý kiến đúng hạn ({share}), "
                                   "{late} ý kiến quá hạn; đã báo lại kết quả cho {told}/{households} hộ.").format(
                answered=number(a.answered), on_time=number(a.on_time), share=percent(a.on_time, a.answered),
                late=number(a.late), told=number(a.told), households=number(a.raised_by))))
        if a.open:
            lines.append(drafted(_("Còn {open} ý kiến chưa được trả lời, trong đó {overdue} ý kiến đã quá hạn.")
                                 .format(open=number(a.open), overdue=number(a.overdue))))
        for category, count in [(c, n) for c, n in a.overdue_by_category.most_common() if n][:TOP_CATEGORIES]:
            lines.append(drafted(_("Còn {count} ý kiến về {category} quá hạn trả lời.").format(
                count=number(count), category=str(CATEGORY_LABELS[category]).lower())))
        return tuple(lines)

    def meetings(self) -> tuple[Paragraph, ...]:
        a = self.a
        if not a.meetings_due:
            return (to_write(),)
        lines = [drafted(_("{teams} đã họp giao ban {held}/{due} cuộc theo quy định hằng tháng{attendance}.").format(
            teams=self.teams[:1].upper() + self.teams[1:], held=number(a.meetings_held), due=number(a.meetings_due),
            attendance=_("; tỷ lệ thành viên tham dự bình quân {share}").format(share=percent(a.present, a.ticked))
            if a.ticked else ""))]
        if a.monthly_due:
            lines.append(drafted(_("Đã nộp đúng hạn {on_time}/{due} báo cáo tháng.").format(
                on_time=number(a.monthly_on_time), due=number(a.monthly_due))))
        return tuple(lines)

    def supervision(self) -> tuple[Paragraph, ...]:
        text = _("Tổ chức {supervisions} cuộc giám sát; góp ý {opinions} lượt ý kiến xây dựng Đảng, chính quyền."
                 ).format(supervisions=self._field("supervisions"), opinions=self._field("opinions"))
        lines = [self._with_fields(text, "supervisions", "opinions")]
        if self.kind == UnitKind.COMMUNE:
            citizens = _("Tổ chức tiếp {citizens} lượt công dân; tiếp nhận {complaints} đơn khiếu nại, {denunciations} "
                         "đơn tố cáo; đã giải quyết {complaints_handled} đơn khiếu nại, {denunciations_handled} đơn "
                         "tố cáo.").format(
                citizens=self._field("citizens_received"), complaints=self._field("complaints_received"),
                denunciations=self._field("denunciations_received"),
                complaints_handled=self._field("complaints_handled"),
                denunciations_handled=self._field("denunciations_handled"))
            lines.append(self._with_fields(citizens, "citizens_received", "complaints_received",
                                           "denunciations_received", "complaints_handled", "denunciations_handled"))
        livelihood = _("Thu nhập bình quân đầu người đạt {income} triệu đồng/năm; tỷ lệ hộ nghèo còn {poor}.").format(
            income=self._field("income_per_capita"), poor=self._field("poor_rate"))
        lines.append(self._with_fields(livelihood, "income_per_capita", "poor_rate"))
        lines.append(to_write(_("Phong trào thi đua “Dân vận khéo”, các mô hình, điển hình: ……")))
        return tuple(lines)

    def results(self) -> Section:
        return Section("II", _("KẾT QUẢ THỰC HIỆN"), subsections=(
            Section("1", _("Tuyên truyền, vận động, thăm hộ gia đình"), self.visits()),
            Section("2", _("Nắm và phản ánh tình hình, tâm tư, nguyện vọng của Nhân dân"), self.concerns()),
            Section("3", _("Sinh hoạt, họp giao ban và báo cáo"), self.meetings()),
            Section("4", _("Giám sát, góp ý và phong trào “Dân vận khéo”"), self.supervision()),
        ))

    # --- III–V ------------------------------------------------------------------------------------------
    def assessment(self) -> Section:
        a = self.a
        strengths, weaknesses = [], []
        if a.households and _share(a.reached, a.households) >= GOOD_SHARE:
            strengths.append(drafted(_("- Công tác thăm hộ được duy trì thường xuyên: {share} số hộ được thăm "
                                       "trong kỳ.").format(share=percent(a.reached, a.households))))
        if a.answered and _share(a.on_time, a.answered) >= GOOD_SHARE:
            strengths.append(drafted(_("- Phần lớn ý kiến của Nhân dân được trả lời đúng hạn ({share}).").format(
                share=percent(a.on_time, a.answered))))
        if a.households and _share(a.reached, a.households) < GOOD_SHARE:
            weaknesses.append(drafted(_("- Còn {count} hộ ({share}) chưa được thăm trong kỳ.").format(
                count=number(a.not_reached), share=percent(a.not_reached, a.households))))
        if a.overdue:
            weaknesses.append(drafted(_("- Còn {count} ý kiến quá hạn trả lời.").format(count=number(a.overdue))))
        if a.meetings_due and a.meetings_held < a.meetings_due:
            weaknesses.append(drafted(_("- Có {count} cuộc họp giao ban hằng tháng chưa được tổ chức.").format(
                count=number(a.meetings_due - a.meetings_held))))
        return Section("III", _("ĐÁNH GIÁ CHUNG"), subsections=(
            Section("1", _("Ưu điểm"), (*strengths, to_write())),
            Section("2", _("Hạn chế"), (*weaknesses, to_write())),
            Section("3", _("Nguyên nhân"), (to_write(),)),
        ))

    def plans(self) -> Section:
        a = self.a
        lines = []
        if a.not_reached:
            lines.append(drafted(_("- Thăm {count} hộ chưa được thăm trong kỳ, trước hết là các hộ lâu chưa được "
                                   "thăm.").format(count=number(a.not_reached))))
        if a.open:
            lines.append(drafted(_("- Đôn đốc trả lời {count} ý kiến còn tồn đọng và báo lại kết quả cho các hộ.")
                                 .format(count=number(a.open))))
        return Section("IV", _("PHƯƠNG HƯỚNG, NHIỆM VỤ"), (*lines, to_write()))

    def sections(self) -> tuple[Section, ...]:
        return (self.situation(), self.results(), self.assessment(), self.plans(),
                Section("V", _("KIẾN NGHỊ, ĐỀ XUẤT"), (to_write(),)))
