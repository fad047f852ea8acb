"""`gandan setup commune`: create a commune and its province from the official 2025 list."""

from __future__ import annotations

import argparse

from bot.app import open_app
from core.i18n import _
from core.settings import Settings
from models.units import admin_divisions
from models.units.communes import setup_commune


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("setup", help=_("thiết lập đơn vị hành chính"),
                            description=_("Thiết lập đơn vị hành chính từ danh mục chính thức năm 2025."))
    inner = parser.add_subparsers(dest="what", metavar=_("đối tượng"), required=True)
    commune = inner.add_parser(
        "commune", help=_("tạo xã/phường theo mã hoặc tên chính thức"),
        description=_("Tạo xã/phường/đặc khu (và tỉnh) theo mã chính thức hoặc tên; "
                      "tên không phân biệt dấu và hoa thường, ví dụ: \"phuc son\" hoặc \"hong son, ha noi\"."),
    )
    commune.add_argument("query", nargs="+", metavar=_("mã_hoặc_tên"))
    commune.set_defaults(func=setup_commune_command)


async def setup_commune_command(args: argparse.Namespace, settings: Settings) -> int:
    query = " ".join(args.query)
    official, closest = admin_divisions.lookup(query)
    if official is None:
        if closest:
            print(_("Không xác định được một xã/phường duy nhất cho “{query}”. Gần nhất:").format(query=query))
            for match in closest:
                print(f"  {match.code}  {match.name}, {match.province_name}")
            print(_("Chạy lại với mã (ví dụ: gandan setup commune {code}).").format(code=closest[0].code))
        else:
            print(_("Không tìm thấy xã/phường nào cho “{query}”.").format(query=query))
        print(_("Không có gì thay đổi."))
        return 2
    async with open_app(settings) as app, app.sessions() as session:
        commune, created = await setup_commune(session, official)
        await session.commit()
    if created:
        print(_("Đã tạo {name} (mã {code}), {province}.").format(
            name=official.name, code=official.code, province=official.province_name))
    else:
        print(_("{name} (mã {code}) đã có; không có gì thay đổi.").format(name=official.name, code=official.code))
    print(_("Tiếp theo: gandan import roster <tệp> rồi gandan import households <tệp>."))
    return 0
