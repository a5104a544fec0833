"""Summaries as PDF, drawn on the server from the printable page.

WeasyPrint is given the page and the print stylesheet directly and fetches
nothing else, so a PDF never reaches out to the network or the file system.
"""

from __future__ import annotations

from pathlib import Path

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "css" / "print.css"


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError(f"not fetched: {url}")


def render_pdf(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html, url_fetcher=_no_fetching).write_pdf(
        stylesheets=[weasyprint.CSS(filename=str(STYLESHEET))]
    )
