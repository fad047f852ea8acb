"""Pure helpers of the flows: splitting long replies, numbered options, matching typed answers, dates."""

import datetime as dt

import pytest

from handlers.engine.commands import parse_command
from handlers.engine.dates import BadDate, looks_like_date, parse_day
from handlers.engine.matching import has_letters, match_option
from handlers.engine.types import Option, Reply, render_numbered, split_text

TODAY = dt.date(2026, 11, 24)


# --- split_text ---------------------------------------------------------------------------------

def test_a_long_reply_of_lines_splits_at_line_breaks_and_rejoins():
    lines = [f"{i:03d}. Nguyễn Văn Hùng — Xóm Trại, Thôn Đồng Tâm — 12/11/2026 —— ghi chú" for i in range(34)]
    text = "\n".join(lines)
    assert 2400 < len(text) < 2600
    pieces = split_text(text, 2000)
    assert len(pieces) == 2
    assert all(len(piece) <= 2000 for piece in pieces)
    assert pieces[0].split("\n") == lines[:len(pieces[0].split("\n"))]  # cut between whole lines
    assert "\n".join(pieces).split("\n") == lines


def test_a_single_long_line_splits_at_spaces():
    words = [f"chữ{i}" for i in range(700)]
    line = " ".join(words)
    assert len(line) > 4000 and "\n" not in line
    pieces = split_text(line, 2000)
    assert len(pieces) == 3
    assert all(len(piece) <= 2000 for piece in pieces)
    assert all(not piece.startswith(" ") and not piece.endswith(" ") for piece in pieces)
    # no word was cut in two: joining with the dropped spaces gives the original
    assert " ".join(pieces) == line
    assert [w for piece in pieces for w in piece.split(" ")] == words


def test_a_line_without_any_space_is_cut_hard_at_the_limit():
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


@pytest.mark.parametrize("limit", [5, 17, 64, 500])
def test_pieces_never_exceed_the_limit(limit):
    text = "\n".join(["một dòng ngắn", "a" * (limit * 3 + 1), "", "b " * limit, "kết thúc"] * 3)
    pieces = split_text(text, limit)
    assert pieces and all(0 < len(piece) <= limit for piece in pieces)
    # nothing but separators was lost
    assert "".join(pieces).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")


def test_short_text_is_one_piece_and_empty_text_is_one_empty_piece():
    assert split_text("Chọn việc cần làm:\n1. Ghi thăm", 2000) == ["Chọn việc cần làm:\n1. Ghi thăm"]
    assert split_text("", 2000) == [""]
    assert split_text("a" * 2000, 2000) == ["a" * 2000]


# --- render_numbered ----------------------------------------------------------------------------

def test_render_numbered_lists_options_after_a_blank_line():
    reply = Reply("Mức độ?", (Option("u:normal", "Bình thường"), Option("u:urgent", "Khẩn")), columns=2)
    assert render_numbered(reply) == "Mức độ?\n\n1. Bình thường\n2. Khẩn"
    assert render_numbered(Reply("Đã hủy.")) == "Đã hủy."


# --- match_option -------------------------------------------------------------------------------

OPTIONS = [
    Option("p:propaganda", "Tuyên truyền chủ trương, chính sách"),
    Option("p:encourage", "Thăm hỏi, động viên"),
    Option("p:mobilise", "Vận động tham gia phong trào"),
    Option("m:visit", "📝 Ghi thăm hộ"),
    Option("m:concern", "📣 Ghi ý kiến, kiến nghị"),
]


@pytest.mark.parametrize("typed, key", [
    ("2", "p:encourage"),
    ("2.", "p:encourage"),
    (" 1 ", "p:propaganda"),
    ("5", "m:concern"),
    ("tham hoi", "p:encourage"),
    ("THĂM HỎI", "p:encourage"),
    ("Thăm hỏi, động viên", "p:encourage"),
    ("van dong", "p:mobilise"),
    ("phong trao", "p:mobilise"),  # a distinctive later word
    ("ghi tham ho", "m:visit"),  # icons are ignored
    ("Ghi ý kiến", "m:concern"),
])
def test_match_option_by_number_and_by_words(typed, key):
    found = match_option(OPTIONS, typed)
    assert found is not None and found.key == key


@pytest.mark.parametrize("typed", ["0", "6", "99", "", "   ", "ghi", "dong", "t", "yes please", "😀👍"])
def test_match_option_refuses_out_of_range_ambiguous_and_unrelated(typed):
    # "ghi" starts two labels and "dong" is a word of two ("động viên", "Vận động"): no guessing
    assert match_option(OPTIONS, typed) is None


def test_parse_command_and_has_letters():
    assert parse_command("/huy") == ("huy", "")
    assert parse_command("/start ABCD-EFGH-JKMN-PQRS") == ("start", "ABCD-EFGH-JKMN-PQRS")
    assert parse_command("/QuayLai@GanDanBot") == ("quaylai", "")
    assert parse_command("huy") is None
    assert has_letters("ok") and has_letters("是的")
    assert not has_letters("😀👍") and not has_letters("12") and not has_letters("a")


# --- parse_day ----------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, day", [
    ("hôm nay", TODAY),
    ("Hôm qua", dt.date(2026, 11, 23)),
    ("hom kia", dt.date(2026, 11, 22)),
    ("yesterday", dt.date(2026, 11, 23)),
    ("12/11", dt.date(2026, 11, 12)),
    ("12/11.", dt.date(2026, 11, 12)),
    ("ngày 12/11", dt.date(2026, 11, 12)),
    ("1.10", dt.date(2026, 10, 1)),
    ("3-9-2026", dt.date(2026, 9, 3)),
    ("24/11/26", TODAY),
    ("26/8/2026", TODAY - dt.timedelta(days=90)),
])
def test_parse_day(typed, day):
    assert looks_like_date(typed)
    assert parse_day(typed, TODAY) == day


def test_a_day_and_month_later_in_the_year_means_last_year():
    assert parse_day("28/12", dt.date(2027, 1, 5)) == dt.date(2026, 12, 28)


@pytest.mark.parametrize("typed, reason", [
    ("25/11/2026", "future"),
    ("1/1/2027", "future"),
    ("25/8/2026", "too_old"),  # 91 days
    ("1/1/2026", "too_old"),
    ("25/11", "future"),  # tomorrow without a year: last year's would be too old, so it means tomorrow
    ("31/2", "format"),
    ("13/13", "format"),
    ("ngày mai", "future"),  # understood, and ahead
])
def test_parse_day_refuses(typed, reason):
    with pytest.raises(BadDate) as error:
        parse_day(typed, TODAY)
    assert error.value.reason == reason


def test_words_are_not_dates():
    assert not looks_like_date("Thăm hỏi")
    assert not looks_like_date("2")
