"""The Content-Disposition header for a file with a Vietnamese name."""

from __future__ import annotations

import re
from urllib.parse import quote

from unidecode import unidecode


def content_disposition(kind: str, filename: str) -> str:
    """RFC 6266: an ASCII name for old clients, the real (Vietnamese) one in UTF-8 for the rest."""
    plain = re.sub(r'[^A-Za-z0-9._ ()-]+', "_", unidecode(filename)).strip() or "file"
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
