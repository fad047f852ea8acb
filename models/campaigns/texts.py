"""A campaign's progress in words: shared by its screen, the daily roll-up, the monthly digest and the alerts."""

from __future__ import annotations

from babel.numbers import format_decimal

from core.i18n import _, current_locale, format_date
from models.campaigns.progress import Counts, Line
from models.tables import Campaign


def number(value: int) -> str:
    """1.240 in Vietnamese, 1,240 in English."""
    return format_decimal(value, format="#,##0", locale=current_locale())


def percent(value: float) -> str:
    """86,5 % in Vietnamese, 86.5 % in English."""
    return format_decimal(round(value, 1), format="#,##0.#", locale=current_locale()) + " %"


def counts_text(counts: Counts) -> str:
    return _("{agreed}/{concerned} hộ đồng ý ({percent})").format(
        agreed=number(counts.agreed), concerned=number(counts.concerned), percent=percent(counts.percent))


def summary_line(campaign: Campaign, counts: Counts) -> str:
    """One line: the campaign, how far it is, its target, and a mark when the target is reached."""
    mark = " ✅" if counts.reached(campaign.target_percent) else ""
    return _("📣 {name}: {counts}, mục tiêu {target}{mark}").format(
        name=campaign.name, counts=counts_text(counts), target=percent(campaign.target_percent), mark=mark)


def detail_lines(counts: Counts) -> list[str]:
    return [_("Đã đồng ý: {count}").format(count=number(counts.agreed)),
            _("Đang vận động: {count}").format(count=number(counts.working)),
            _("Chưa đồng ý: {count}").format(count=number(counts.refused)),
            _("Không thuộc diện: {count}").format(count=number(counts.excluded)),
            _("Chưa ghi kết quả: {count}").format(count=number(counts.unrecorded))]


def unit_line(line: Line) -> str:
    return _("• {name}: {counts}").format(name=line.name, counts=counts_text(line.counts))


def dates_text(campaign: Campaign) -> str:
    return _("Từ {start} đến {end}").format(start=format_date(campaign.starts_on), end=format_date(campaign.ends_on))


def target_reached_text(campaign: Campaign, counts: Counts) -> str:
    return _("🎯 Cuộc vận động “{name}” đã đạt mục tiêu {target}: {counts}.").format(
        name=campaign.name, target=percent(campaign.target_percent), counts=counts_text(counts))


def week_left_text(campaign: Campaign, counts: Counts) -> str:
    return _("⏳ Cuộc vận động “{name}” kết thúc {end}, còn một tuần: {counts}, mục tiêu {target}; "
             "còn {left} hộ chưa ghi kết quả.").format(
        name=campaign.name, end=format_date(campaign.ends_on), counts=counts_text(counts),
        target=percent(campaign.target_percent), left=number(counts.unrecorded))
