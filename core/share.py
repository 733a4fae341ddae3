"""The address of the view on screen and its QR code: what an audience scans to follow a talk.

Pure Python (no streamlit): the frame passes the page's address as the browser gave it
(`st.context.url`, so it is right behind any host, port, proxy or path prefix) and the page's
parameters; the code is drawn here, on this machine, by segno.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import segno

# Longest link put into a code. A 500-character link needs a version 17 code (85 modules a side),
# still readable at 5 px a module; 120 characters (a page with a few parameters) need version 7.
MAX_LINK = 500
# Pixels per module in the PNG, and the quiet zone around the code in modules (the standard's 4).
SCALE = 10
BORDER = 4


@dataclass(frozen=True)
class Share:
    url: str                     # the link the code carries
    left_out: tuple[str, ...]    # parameters too long to fit in a readable code, longest first


def view_url(page_url: str, params: dict[str, str], limit: int = MAX_LINK) -> Share:
    """The link to `page_url` (an address without query or fragment) with `params` in their order.

    While the link is longer than `limit`, the parameter with the longest value is left out
    (in practice typed observations: hundreds of numbers make a code no phone reads from afar)."""
    parts = urlsplit(page_url)
    kept = dict(params)
    left_out: list[str] = []

    def build() -> str:
        query = urlencode(kept, quote_via=quote, safe="")
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))

    url = build()
    while len(url) > limit and kept:
        longest = max(kept, key=lambda k: len(kept[k]))
        left_out.append(longest)
        del kept[longest]
        url = build()
    return Share(url, tuple(left_out))


def qr_code(url: str) -> segno.QRCode:
    """The QR code of `url`: error correction M at least (segno raises it when it costs no size)."""
    return segno.make_qr(url, error="m", boost_error=True)


def qr_png(url: str, scale: int = SCALE, border: int = BORDER) -> bytes:
    """The QR code of `url` as PNG bytes: black modules on white, `scale` pixels a module."""
    out = io.BytesIO()
    qr_code(url).save(out, kind="png", scale=scale, border=border, dark="#000000", light="#ffffff")
    return out.getvalue()


def qr_side(url: str, scale: int = SCALE, border: int = BORDER) -> int:
    """The width (and height) in pixels of qr_png(url, scale, border)."""
    return (qr_code(url).symbol_size(scale=1, border=border)[0]) * scale
