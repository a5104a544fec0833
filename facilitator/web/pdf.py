"""Summaries as PDF, drawn on the server from the printable page.

WeasyPrint is given the page and the print stylesheet directly and fetches
nothing else, so a PDF never reaches out to the network or the file system.

A copy drawn with `fit` (the family's) does not end on a page left nearly bare, and keeps its
first part on the first page where it can: where the last page would hold only a few lines, or
the part the page marks as its first (`FIRST`: the family's plan) would run on to a second, it
is drawn again a little tighter (`TIGHTER`), and that one is kept if it takes a page less, or
keeps that part on the first page without ending bare itself. The printable page marks where
its content ends (`END`), so each is read from the layout, not guessed.
"""

from __future__ import annotations

from pathlib import Path

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "css" / "print.css"

# The ids of empty elements after the printable page's content (`summary/print.html`), and after
# the part of it that belongs on the first page (`summary/_for_family.html`).
END = "summary-end"
FIRST = "summary-first-page-end"
# A last page whose content ends above this share of the page's height is nearly bare: with the
# top margin, about a fifth of its room used.
BARE_BELOW = 0.28
# The same page, smaller type and spacing throughout (the stylesheet's sizes are in rem).
TIGHTER = "html { font-size: 10pt; line-height: 1.35; } h1 { font-size: 18pt; } h2 { font-size: 12pt; }"


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError(f"not fetched: {url}")


def _render(html: str, stylesheets: list):
    import weasyprint

    return weasyprint.HTML(string=html, url_fetcher=_no_fetching).render(stylesheets=stylesheets)


def _ends_nearly_bare(document) -> bool:
    if len(document.pages) < 2:
        return False
    last = document.pages[-1]
    end = last.anchors.get(END)
    return end is not None and end[1] < BARE_BELOW * last.height


def _first_part_runs_on(document) -> bool:
    """Whether the part marked for the first page ends on a later one."""
    return any(FIRST in page.anchors for page in document.pages[1:])


def render_pdf(html: str, *, fit: bool = False) -> bytes:
    import weasyprint

    stylesheets = [weasyprint.CSS(filename=str(STYLESHEET))]
    document = _render(html, stylesheets)
    if fit and (_ends_nearly_bare(document) or _first_part_runs_on(document)):
        tighter = _render(html, [*stylesheets, weasyprint.CSS(string=TIGHTER)])
        fewer = len(tighter.pages) < len(document.pages)
        first_kept = _first_part_runs_on(document) and not _first_part_runs_on(tighter)
        if fewer or (first_kept and not _ends_nearly_bare(tighter)):
            document = tighter
    return document.write_pdf()
