"""The evaluation in words, for the chat and the command line: a scorecard, a ranking, the proposal."""

from __future__ import annotations

from core.i18n import _, format_short_date
from models.evaluation.compute import Province
from models.evaluation.numbers import number_text, percent_text
from models.evaluation.rubric import SAMPLE_NOTE
from models.evaluation.scoring import Evaluation, Scorecard


def as_of_text(evaluation: Evaluation) -> str:
    """"năm 2026 (đã xác nhận)", "năm 2026 (đến hết 20/11/2026)" or "năm 2026 (tính đến 24/11/2026)"."""
    if evaluation.confirmed_at is not None:
        return _("năm {year} (đã xác nhận)").format(year=evaluation.year)
    if evaluation.closed:
        return _("năm {year} (đến hết {end})").format(year=evaluation.year, end=format_short_date(evaluation.end))
    return _("năm {year} (tính đến {day})").format(year=evaluation.year, day=format_short_date(
        evaluation.as_of.date()))


def total_text(card: Scorecard) -> str:
    return _("{total}/100 điểm — {band}").format(total=number_text(card.total), band=card.band)


def card_text(card: Scorecard, evaluation: Evaluation, last_year: Scorecard | None = None) -> str:
    """A team's scorecard: total, band, rank, last year's beside it, then each criterion."""
    lines = [_("📈 {team} — {period}").format(team=card.team, period=as_of_text(evaluation)),
             _("Điểm: {total} · hạng {rank}/{count}").format(total=total_text(card), rank=card.rank,
                                                           count=len(evaluation.cards))]
    if last_year is not None:
        lines.append(_("Năm trước: {total}").format(total=total_text(last_year)))
    for line in card.lines:
        lines.append(_("• {label}: {evidence} — {points}/{max}").format(
            label=line.label, evidence=line.evidence, points=number_text(line.points),
            max=number_text(line.max_points)))
    if evaluation.sample:
        lines.append(str(SAMPLE_NOTE))
    return "\n".join(lines)


def proposal_text(evaluation: Evaluation) -> str:
    names = [c.team for c in evaluation.cards if c.team_id in evaluation.proposed]
    if not names:
        return _("Đề nghị khen thưởng: chưa có tổ nào đạt mức “{band}”.").format(band=evaluation.bands[0][0])
    return _("Đề nghị khen thưởng (tổ tiêu biểu): {teams}.").format(teams=", ".join(names))


def ranking_lines(cards: tuple[Scorecard, ...], *, commune: bool = False) -> list[str]:
    lines = []
    for card in cards:
        where = f"{card.village}, {card.commune}" if commune else card.village
        lines.append(_("{rank}. {place} — {total}").format(rank=card.rank, place=where, total=total_text(card)))
    return lines


def ranking_text(evaluation: Evaluation) -> str:
    """The commune's teams best first, how many in each band, and the model teams proposed."""
    lines = [_("🏆 Xếp loại Tổ Dân vận cộng đồng — {commune}, {period}").format(
        commune=evaluation.name, period=as_of_text(evaluation))]
    if not evaluation.cards:
        lines.append(_("Chưa có tổ nào."))
        return "\n".join(lines)
    lines += ranking_lines(evaluation.cards)
    counts = [f"{label}: {sum(1 for c in evaluation.cards if c.band == label)}" for label, _min in evaluation.bands]
    lines.append(_("Số tổ theo mức: {counts}.").format(counts=" · ".join(counts)))
    lines.append(proposal_text(evaluation))
    if evaluation.sample:
        lines.append(str(SAMPLE_NOTE))
    return "\n".join(lines)


def province_text(province: Province) -> str:
    """Every team of the province best first, with its commune."""
    lines = [_("🏆 Xếp loại Tổ Dân vận cộng đồng toàn {unit}, năm {year} ({count} tổ, {communes} xã)").format(
        unit=province.name, year=province.year, count=len(province.cards), communes=len(province.communes))]
    lines += ranking_lines(province.cards, commune=True)
    return "\n".join(lines)


def digest_line(card: Scorecard, evaluation: Evaluation) -> str:
    """The monthly digest's one line: "📈 Xếp loại dự kiến năm 2026: 72,5/100 điểm — Khá (hạng 2/3)"."""
    return _("📈 Xếp loại dự kiến năm {year}: {total} (hạng {rank}/{count})").format(
        year=evaluation.year, total=total_text(card), rank=card.rank, count=len(evaluation.cards))


def section_paragraphs(evaluation: Evaluation) -> list[str]:
    """The annual report's section on the evaluation: how many teams in each band, the best ones, the proposal."""
    if not evaluation.cards:
        return [_("Chưa có tổ nào.")]
    count = len(evaluation.cards)
    bands = "; ".join(_("{band}: {teams} tổ ({percent})").format(
        band=label, teams=sum(1 for c in evaluation.cards if c.band == label),
        percent=percent_text(100 * sum(1 for c in evaluation.cards if c.band == label) / count))
        for label, _minimum in evaluation.bands)
    best = ", ".join(f"{c.team} ({number_text(c.total)})" for c in evaluation.cards[:3])
    return [_("Năm {year}, {count}/{count} Tổ Dân vận cộng đồng được đánh giá, xếp loại: {bands}.").format(
                year=evaluation.year, count=count, bands=bands),
            _("Các tổ dẫn đầu: {teams}.").format(teams=best),
            proposal_text(evaluation)]
