"""Page weight of the phone's join page: every byte a phone on weak signal fetches to show it,
compressed as deploy/nginx.conf sends it, against a 60 KB budget.

A phone scans the QR code and loads three pages in turn: the join form, its page in the lobby
(which fetches the changing part again when the chair lets the person in), and its page once
admitted. Each load is counted cold: every distinct URL once, as a phone with an empty cache
fetches it. The baseline is the vendored Socket.IO client alone, the floor any live page pays.
"""

from __future__ import annotations

import gzip
import re
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from flask import Flask
from flask.testing import FlaskClient

try:  # Reported beside gzip only when it happens to be installed.
    import brotli
except ImportError:
    brotli = None

BUDGET = 61_440
GZIP_LEVEL = 6
BROTLI_QUALITY = 6
NGINX_CONF = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"
ORIGIN = "http://localhost"
LOADED_RELS = frozenset({"stylesheet", "icon", "modulepreload", "preload", "manifest"})
# Static imports and re-exports (`import x from "./a.js"`, `import "./a.js"`, `export * from`), and import().
JS_IMPORT = re.compile(
    r"""\b(?:import|export)\s*(?:[\w*{}\s,$]+?\s*from\s*)?["']([./][^"']*)["']"""
    r"""|\bimport\s*\(\s*["']([./][^"']*)["']"""
)
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+?)["']?\s*\)|@import\s+["']([^"']+)["']""")


@dataclass(frozen=True)
class Resource:
    """One fetched URL: its raw bytes and what it costs over the wire."""

    url: str
    kind: str
    raw: int
    gzip: int
    sent: int  # gzip, unless nginx would send it as is (type not listed, or too small)
    brotli: int | None


@dataclass
class PageLoad:
    """Everything one page load fetches, each distinct URL once, found the way a browser finds it."""

    name: str
    client: FlaskClient
    resources: list[Resource] = field(default_factory=list)
    fetched_later: list[str] = field(default_factory=list)  # URLs the page's script fetches, not on load
    elsewhere: list[str] = field(default_factory=list)  # other origins: not counted, so listed

    def fetch(self, url: str, kind: str) -> None:
        """Fetch a URL and, in turn, whatever it references."""
        queue = [(url, kind)]
        while queue:
            url, kind = queue.pop(0)
            if url in {r.url for r in self.resources}:
                continue
            with self.client.get(url) as response:
                assert response.status_code == 200, f"{url} answered {response.status_code}"
                body, mimetype = response.get_data(), response.mimetype
            self.resources.append(measure(url, kind, body, mimetype))
            text = body.decode("utf-8", "replace")
            if mimetype == "text/html":
                found = References(url)
                found.feed(text)
                self.fetched_later += [u for u in found.fetched_later if u not in self.fetched_later]
                references = found.loaded
            elif mimetype == "text/css":
                references = [(m[0] or m[1], "css url") for m in CSS_URL.findall(text)]
            elif mimetype.endswith("javascript"):
                references = [(m[0] or m[1], "import") for m in JS_IMPORT.findall(text)]
            else:
                references = []
            for reference, kind in references:
                target = same_origin(urljoin(ORIGIN + url, reference))
                if target is None:
                    self.elsewhere.append(reference)
                else:
                    queue.append((target, kind))

    @property
    def raw(self) -> int:
        return sum(r.raw for r in self.resources)

    @property
    def gzip(self) -> int:
        return sum(r.gzip for r in self.resources)

    @property
    def sent(self) -> int:
        return sum(r.sent for r in self.resources)

    @property
    def brotli(self) -> int | None:
        return None if brotli is None else sum(r.brotli or 0 for r in self.resources)


class References(HTMLParser):
    """The URLs an HTML page or fragment makes a browser load, and those its script fetches later."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.loaded: list[tuple[str, str]] = []
        self.fetched_later: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        rels = set(a.get("rel", "").lower().split())
        if tag == "link" and rels & LOADED_RELS and a.get("href"):
            self.loaded.append((a["href"], min(rels & LOADED_RELS)))
        elif tag == "script" and a.get("src"):
            self.loaded.append((a["src"], "script"))
        elif tag in ("img", "iframe") and a.get("src"):
            self.loaded.append((a["src"], "image" if tag == "img" else "frame"))
        elif tag in ("use", "image") and not (a.get("href") or a.get("xlink:href") or "#").startswith("#"):
            self.loaded.append((a.get("href") or a["xlink:href"], "svg sprite"))
        if a.get("style"):
            self.loaded += [(m[0] or m[1], "css url") for m in CSS_URL.findall(a["style"])]
        if a.get("data-state-url") and (
            later := same_origin(urljoin(ORIGIN + self.url, a["data-state-url"]))
        ):
            self.fetched_later.append(later)
        self._in_style = tag == "style"

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.loaded += [(m[0] or m[1], "css url") for m in CSS_URL.findall(data)]

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False


def same_origin(url: str) -> str | None:
    """The path (and query) of a URL on this site, without its fragment; None for another origin."""
    url = urldefrag(url).url
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != ORIGIN:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass(frozen=True)
class Nginx:
    """How deploy/nginx.conf compresses: what is sent is measured from the real settings, so a
    change there (gzip off, a type dropped) shows here."""

    level: int | None  # None: gzip off
    types: frozenset[str]
    min_length: int

    @classmethod
    def read(cls, conf: Path = NGINX_CONF) -> Nginx:
        settings = dict(
            re.findall(r"^\s*(gzip\w*)\s+([^;]*);", re.sub(r"#.*", "", conf.read_text()), re.MULTILINE)
        )
        return cls(
            level=int(settings.get("gzip_comp_level", "1")) if settings.get("gzip") == "on" else None,
            types=frozenset({"text/html", *settings.get("gzip_types", "").split()}),  # html: always
            min_length=int(settings.get("gzip_min_length", "20")),
        )

    def sends(self, body: bytes, mimetype: str) -> int:
        """Bytes over the wire: gzip at the configured level, or as is when nginx leaves it."""
        if self.level is None or mimetype not in self.types or len(body) < self.min_length:
            return len(body)
        return len(gzip.compress(body, compresslevel=self.level))


NGINX = Nginx.read()


def measure(url: str, kind: str, body: bytes, mimetype: str) -> Resource:
    """Sizes of one body: raw, gzip level 6, and as deploy/nginx.conf sends it."""
    return Resource(
        url=url,
        kind=kind,
        raw=len(body),
        gzip=len(gzip.compress(body, compresslevel=GZIP_LEVEL)),
        sent=NGINX.sends(body, mimetype),
        brotli=None if brotli is None else len(brotli.compress(body, quality=BROTLI_QUALITY)),
    )


def phone_pages(app: Flask, join_code: str) -> list[PageLoad]:
    """The three page loads of a phone joining a meeting: the join form, the lobby, admitted."""
    from facilitator.models import Meeting
    from facilitator.services import joining, meetings

    phone = app.test_client()
    address = f"/join/{join_code}"
    form = PageLoad("join form", phone)
    form.fetch(address, "document")
    page = phone.get(address).get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert token, "the join form has no CSRF token"
    data = {"name": "Kerry", "relation": "Mum", "side": "family", "csrf_token": token.group(1)}
    joined = phone.post(address, data=data)
    assert joined.status_code == 302, f"joining answered {joined.status_code}"
    lobby = PageLoad("phone page, in the lobby", phone)
    lobby.fetch(joined.headers["Location"], "document")
    with app.test_request_context():
        meeting = meetings.find_meeting(join_code)
        assert isinstance(meeting, Meeting)
        assert joining.admit_all(meeting), "nobody was waiting in the lobby"
    # Let in, the lobby page fetches its changing part again (and what that part shows).
    for url in lobby.fetched_later:
        lobby.fetch(url, "fragment")
    admitted = PageLoad("phone page, admitted", phone)
    admitted.fetch(address, "document")
    return [form, lobby, admitted]


def socket_io_client(app: Flask) -> Resource:
    """The vendored Socket.IO client alone."""
    path = next(Path(app.static_folder or "").glob("vendor/socket.io-*.esm.min.js"))
    relative = path.relative_to(app.static_folder or "").as_posix()
    return measure(f"{app.static_url_path}/{relative}", "baseline", path.read_bytes(), "text/javascript")


def run() -> dict:
    """Figures for a phone joining a meeting set up from the Family Group Conference format."""
    from facilitator import create_app, database
    from facilitator.extensions import db
    from facilitator.services import accounts, meetings

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            database.upgrade_schema()
            chair = accounts.create_chair("sam.patel@council.example", "a long enough password", "Sam Patel")
            details = meetings.Details(title="FGC for the J. family", purpose="A plan for J. to be safe")
            code = meetings.create_meeting(chair, details, "family_group_conference").join_code
        try:
            pages = phone_pages(app, code)
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    return {"budget": BUDGET, "join_code": code, "baseline": socket_io_client(app), "pages": pages}


def report(figures: dict) -> str:
    """A plain-text table: each page load's resources, totals, and the margin left in the budget."""
    budget, code = figures["budget"], figures["join_code"]
    br = brotli is not None
    head = f"{'':4}{'resource':<44}{'kind':<12}{'raw':>9}{'gzip':>9}{'sent':>9}" + (
        " " * 7 + "br" if br else ""
    )

    def row(label: str, kind: str, raw: int, gz: int, sent: int, brotli_size: int | None) -> str:
        line = f"{'':4}{label.replace(code, '<code>'):<44}{kind:<12}{raw:>9,}{gz:>9,}{sent:>9,}"
        return line + (f"{brotli_size or 0:>9,}" if br else "")

    base: Resource = figures["baseline"]
    lines = [
        f"Phone page weight, each load cold; budget {budget:,} bytes sent a page load. gzip = level"
        f" {GZIP_LEVEL}; sent = as deploy/nginx.conf sends it (gzip level {NGINX.level or 'off'},"
        f" raw below {NGINX.min_length} bytes or for types it leaves)"
        + (f"; br = brotli quality {BROTLI_QUALITY}, for comparison" if br else ""),
        "",
        "Baseline, the Socket.IO client alone:",
        head,
        row(base.url, base.kind, base.raw, base.gzip, base.sent, base.brotli),
    ]
    for page in figures["pages"]:
        lines += ["", f"{page.name}:", head]
        lines += [row(r.url, r.kind, r.raw, r.gzip, r.sent, r.brotli) for r in page.resources]
        lines.append(
            row(f"total, {len(page.resources)} URLs", "", page.raw, page.gzip, page.sent, page.brotli)
        )
        margin = budget - page.sent
        verdict = "under" if margin > 0 else "OVER"
        lines.append(f"{'':4}budget {budget:,}: {verdict}, margin {margin:,} bytes ({margin / budget:.0%})")
        if page.elsewhere:
            lines.append(f"{'':4}not counted, other origins: {', '.join(page.elsewhere)}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(run()))
