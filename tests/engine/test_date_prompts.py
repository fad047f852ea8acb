"""Dates: every prompt's example is a valid answer on the day it is shown, and a wrong answer is
told its real problem (a time where a day is asked, a day ahead for a visit).

The trial ran on 4 December, when the broadcast and meeting prompts still offered "28/11" and then
refused it.
"""

import datetime as dt
import re

import pytest

from handlers.engine.dates import example_ahead, example_back, example_time, parse_day, parse_future_day
from tests.broadcasts.test_broadcast import build_town, compose
from tests.dialog import Chat
from tests.meetings.test_meetings import open_admin, set_25th
from tests.world import build_world

DEC_4 = dt.datetime(2026, 12, 4, 2, 0, tzinfo=dt.UTC)  # 09:00 in Hà Nội
DAYS = [dt.date(2026, 11, 24), dt.date(2026, 12, 4), dt.date(2026, 12, 30), dt.date(2027, 1, 2),
        dt.date(2027, 2, 27), dt.date(2028, 2, 28), dt.date(2026, 3, 1)]


def example_in(text: str) -> str:
    return re.findall(r"\d{1,2}/\d{1,2}", text)[-1]


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_the_examples_are_valid_answers_whatever_the_day(today):
    assert parse_day(example_back(today), today) == today - dt.timedelta(days=12)
    assert parse_future_day(example_ahead(today), today) == today + dt.timedelta(days=4)


def test_a_time_example_is_still_ahead_on_today():
    now = dt.datetime(2026, 12, 4, 9, 0)
    assert example_time("07:30", now.date(), now) == "10:00"
    assert example_time("19:30", now.date(), now) == "19:30"
    assert example_time("07:30", now.date() + dt.timedelta(days=1), now) == "07:30"
    assert example_time("07:30", None, now) == "07:30"


async def test_the_broadcast_prompt_offers_a_day_it_accepts(session, sessions):
    await build_town(session)
    chat = Chat(sessions, "secretary", now=DEC_4)
    await compose(chat, when="Hẹn giờ gửi")
    assert chat.last[-1].text == "Gửi vào ngày nào? Gõ ngày, ví dụ 8/12, hoặc “ngày mai”."
    await chat.transcript([
        ("19:30", "“19:30” là giờ; bước này hỏi ngày (giờ hỏi ngay sau). Gõ ngày, ví dụ 8/12."),
        ("28/11", "Hãy gõ một ngày từ hôm nay trở đi, ví dụ 8/12 hoặc “ngày mai”."),
        ("8/12", "Gửi lúc mấy giờ? Gõ giờ:phút, ví dụ 07:30."),
        ("/quaylai", "Gửi vào ngày nào?"),
        ("hôm nay", "Gửi lúc mấy giờ? Gõ giờ:phút, ví dụ 10:00."),  # 07:30 has gone by at 09:00
        ("chiều", "Không hiểu giờ này; gõ ví dụ 10:00."),
        ("10:00", "Thời gian: ngày 4 tháng 12 năm 2026 lúc 10:00"),
    ])


async def test_the_meeting_prompt_offers_a_day_it_accepts(session, sessions):
    world = await build_world(session)
    await set_25th(session, world, now=DEC_4)
    chat = Chat(sessions, "leader", now=DEC_4)
    await open_admin(chat)
    await chat.transcript([
        ("Dời buổi tới", "sang ngày nào? Gõ ngày, ví dụ 8/12."),
        ("8h", "“8h” là giờ; bước này hỏi ngày (giờ hỏi ngay sau). Gõ ngày, ví dụ 8/12."),
        ("8/12", "Họp lúc mấy giờ? Gõ giờ:phút, ví dụ 19:30."),
        ("1", "Họp ở đâu?"),
        ("Giữ địa điểm cũ", "✅ Đã dời buổi họp sang ngày 8 tháng 12 năm 2026 lúc 19:30"),
    ])
    chat.now = DEC_4 + dt.timedelta(hours=11)  # 20:00 in Hà Nội: tonight's 19:30 is gone
    await open_admin(chat)
    await chat.transcript([("Dời buổi tới", "ví dụ 8/12."), ("hôm nay", "Họp lúc mấy giờ? Gõ giờ:phút, ví dụ 21:00."),
                           ("21:00", "Họp ở đâu?")])


async def test_the_visit_day_is_told_what_is_wrong(session, sessions):
    await build_world(session)
    chat = Chat(sessions, "member", now=DEC_4)
    await chat.transcript([("/menu", "Chọn việc cần làm:"), ("1", "chọn hộ đã thăm"),
                           ("1", "ví dụ “hôm qua” hoặc “22/11”.)")])
    future = "Ngày thăm không thể ở tương lai."
    await chat.transcript([
        ("5/12", future), ("ngày mai", future), ("25/12", future),  # not a year ago: ahead
        ("19:30", "Chỉ cần ngày thăm, không cần giờ: gõ ví dụ “hôm qua” hoặc “22/11”."),
        ("19.30", "Chỉ cần ngày thăm, không cần giờ"),
        ("5/3", "Chỉ ghi được lượt thăm trong 90 ngày gần đây."),
        ("31/2", "Không hiểu ngày này; gõ ví dụ “hôm qua” hoặc “22/11”."),
        ("22/11", "Ngày thăm: ngày 22 tháng 11 năm 2026."),
    ])
