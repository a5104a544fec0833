"""Page weight of the phone's join page: every byte a phone on weak signal fetches to show it, as
the app sends it, against a 60 KB budget for a first load and 10 KB for a second visit.

A phone scans the QR code and loads three pages in turn: the join form, its page in the lobby
(which fetches the changing part again when the chair lets the person in), and its page once
admitted. Each of those is counted cold: every distinct URL once, as a phone with an empty cache
fetches it. Then the phone comes back to its page (a second visit, a day later): what its cache
holds for good is not asked for, what it may only revalidate costs a request and no body, the
rest is fetched again.

Bytes are bodies as sent: `gzip` to a browser over plain HTTP (browsers offer brotli only over
HTTPS), `br` to one over HTTPS. Behind deploy/nginx.conf the bytes are the same: nginx serves the
very compressed copies the app built, and passes the app's compressed pages on. The baseline is
the vendored Socket.IO client alone, the floor any live page pays.
"""

from __future__ import annotations

import gzip
import re
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from flask import Flask, url_for
from flask.testing import FlaskClient

try:
    import brotli
except ImportError:  # the app then sends no brotli either
    brotli = None

BUDGET = 61_440
AGAIN_BUDGET = 10_240
PLAIN_HTTP = "gzip, deflate"
HTTPS = "gzip, deflate, br"
A_DAY = 24 * 60 * 60
ORIGIN = "http://localhost"
LOADED_RELS = frozenset({"stylesheet", "icon", "modulepreload", "preload", "manifest"})
# Static imports and re-exports (`import x from "./a.js"`, `import "./a.js"`, `export * from`), and import().
JS_IMPORT = re.compile(
    r"""\b(?:import|export)\s*(?:[\w*{}\s,$]+?\s*from\s*)?["']([./][^"']*)["']"""
    r"""|\bimport\s*\(\s*["']([./][^"']*)["']"""
)
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+?)["']?\s*\)|@import\s+["']([^"']+)["']""")
HASH = re.compile(r"\.[0-9a-f]{12}(?=\.|$)")


@dataclass(frozen=True)
class Resource:
    """One URL of a page load: its body, and what it cost over the wire."""

    url: str
    kind: str
    raw: int  # the body as the page uses it
    gzip: int  # body bytes sent to a browser that accepts gzip
    br: int  # body bytes sent to one that accepts brotli too
    how: str  # "fetched", "revalidated" (a request, answered 304 with no body) or "cached" (none)
    cache_control: str

    @property
    def requested(self) -> bool:
        return self.how != "cached"

    @property
    def cache(self) -> str:
        """How the browser may keep it, in a word."""
        directives = {d.strip().split("=")[0] for d in self.cache_control.lower().split(",")}
        if "no-store" in directives:
            return "no-store"
        if "immutable" in directives:
            return "immutable"
        if "max-age" in directives and "no-cache" not in directives:
            return self.cache_control
        return "revalidate"


@dataclass
class Cached:
    body: bytes
    mimetype: str
    cache_control: str
    validators: dict[str, str]


def kept_a_day(cache_control: str) -> bool:
    """Whether a browser uses its copy a day later without asking."""
    directives = dict(
        (part.strip().split("=", 1) + [""])[:2] for part in cache_control.lower().split(",") if part.strip()
    )
    if "no-store" in directives or "no-cache" in directives:
        return False
    max_age = directives.get("max-age", "0")
    return "immutable" in directives or (max_age.isdigit() and int(max_age) >= A_DAY)


def decoded(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        assert brotli is not None, "the app sent brotli, which this benchmark cannot read"
        return brotli.decompress(body)
    assert encoding in ("", "identity"), f"unexpected Content-Encoding {encoding}"
    return body


class Phone:
    """A phone's browser: its cookies (a Flask test client) and its HTTP cache."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.cache: dict[str, Cached] = {}

    def forget(self) -> None:
        self.cache.clear()

    def get(self, url: str, kind: str) -> tuple[Resource, bytes, str]:
        """Fetch a URL as the browser would: from its cache, revalidated, or whole."""
        kept = self.cache.get(url)
        if kept is not None and kept_a_day(kept.cache_control):
            return self.resource(url, kind, kept, 0, 0, "cached"), kept.body, kept.mimetype
        headers = {"Accept-Encoding": PLAIN_HTTP, **(kept.validators if kept else {})}
        with self.client.get(url, headers=headers) as response:
            status, sent, mimetype = response.status_code, response.get_data(), response.mimetype
            encoding = response.headers.get("Content-Encoding", "")
            cache_control = response.headers.get("Cache-Control", "")
            validators = {
                request: response.headers[answer]
                for request, answer in (("If-None-Match", "ETag"), ("If-Modified-Since", "Last-Modified"))
                if answer in response.headers
            }
        if status == 304 and kept is not None:
            return self.resource(url, kind, kept, 0, 0, "revalidated"), kept.body, kept.mimetype
        assert status == 200, f"{url} answered {status}"
        body = decoded(sent, encoding)
        with self.client.get(url, headers={"Accept-Encoding": HTTPS}) as response:
            assert response.status_code == 200, f"{url} answered {response.status_code} over HTTPS"
            sent_br = len(response.get_data())
        kept = Cached(body, mimetype, cache_control, validators)
        if "no-store" not in cache_control.lower():
            self.cache[url] = kept
        return self.resource(url, kind, kept, len(sent), sent_br, "fetched"), body, mimetype

    @staticmethod
    def resource(url: str, kind: str, kept: Cached, sent: int, sent_br: int, how: str) -> Resource:
        return Resource(url, kind, len(kept.body), sent, sent_br, how, kept.cache_control)


@dataclass
class PageLoad:
    """Everything one page load fetches, each distinct URL once, found the way a browser finds it."""

    name: str
    phone: Phone
    budget: int = BUDGET
    resources: list[Resource] = field(default_factory=list)
    fetched_later: list[str] = field(default_factory=list)  # URLs the page's script fetches, not on load
    elsewhere: list[str] = field(default_factory=list)  # other origins: not counted, so listed
    # Scripts a script loads with `import()` only when its meeting has the part (the child's
    # houses, a party's own space): not fetched by this phone, so not counted, but listed.
    on_demand: list[str] = field(default_factory=list)

    def fetch(self, url: str, kind: str) -> None:
        """Fetch a URL and, in turn, whatever it references."""
        queue = [(url, kind)]
        while queue:
            url, kind = queue.pop(0)
            if url in {r.url for r in self.resources}:
                continue
            resource, body, mimetype = self.phone.get(url, kind)
            self.resources.append(resource)
            text = body.decode("utf-8", "replace")
            if mimetype == "text/html":
                found = References(url)
                found.feed(text)
                self.fetched_later += [u for u in found.fetched_later if u not in self.fetched_later]
                references = found.loaded
            elif mimetype == "text/css":
                references = [(m[0] or m[1], "css url") for m in CSS_URL.findall(text)]
            elif mimetype.endswith("javascript"):
                references = [(m[0], "import") for m in JS_IMPORT.findall(text) if m[0]]
                self.on_demand += [
                    target
                    for m in JS_IMPORT.findall(text)
                    if m[1] and (target := same_origin(urljoin(ORIGIN + url, m[1]))) and target not in self.on_demand
                ]
            else:
                references = []
            for reference, kind in references:
                target = same_origin(urljoin(ORIGIN + url, reference))
                if target is None:
                    self.elsewhere.append(reference)
                else:
                    queue.append((target, kind))

    @property
    def requests(self) -> int:
        return sum(r.requested for r in self.resources)

    @property
    def raw(self) -> int:
        return sum(r.raw for r in self.resources)

    @property
    def gzip(self) -> int:
        return sum(r.gzip for r in self.resources)

    @property
    def br(self) -> int:
        return sum(r.br for r in self.resources)

    @property
    def sent(self) -> int:
        """What the budget holds: the bytes to a browser over plain HTTP, the heavier case."""
        return self.gzip


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


def phone_pages(app: Flask, join_code: str) -> list[PageLoad]:
    """A phone joining a meeting: the join form, the lobby and its page once admitted, each with
    an empty cache; then its page again, with the cache that load left."""
    from facilitator.models import Meeting
    from facilitator.services import joining, meetings

    phone = Phone(app.test_client())
    address = f"/join/{join_code}"
    form = PageLoad("join form", phone)
    form.fetch(address, "document")
    with phone.client.get(address) as response:
        token = re.search(r'name="csrf-token" content="([^"]+)"', response.get_data(as_text=True))
    assert token, "the join form has no CSRF token"
    data = {"name": "Kerry", "relation": "Mum", "side": "family", "csrf_token": token.group(1)}
    joined = phone.client.post(address, data=data)
    assert joined.status_code == 302, f"joining answered {joined.status_code}"
    phone.forget()
    lobby = PageLoad("phone page, in the lobby", phone)
    lobby.fetch(joined.headers["Location"], "document")
    with app.test_request_context():
        meeting = meetings.find_meeting(join_code)
        assert isinstance(meeting, Meeting)
        assert joining.admit_all(meeting), "nobody was waiting in the lobby"
    # Let in, the lobby page fetches its changing part again (and what that part shows).
    for url in lobby.fetched_later:
        lobby.fetch(url, "fragment")
    phone.forget()
    admitted = PageLoad("phone page, admitted", phone)
    admitted.fetch(address, "document")
    again = PageLoad("phone page, a second visit", phone, budget=AGAIN_BUDGET)
    again.fetch(address, "document")
    return [form, lobby, admitted, again]


def socket_io_client(app: Flask) -> Resource:
    """The vendored Socket.IO client alone, as the app serves it."""
    path = next(Path(app.static_folder or "").glob("vendor/socket.io-*.esm.min.js"))
    with app.test_request_context():
        url = url_for("static", filename=path.relative_to(app.static_folder or "").as_posix())
    resource, _, _ = Phone(app.test_client()).get(url, "baseline")
    return resource


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
            baseline = socket_io_client(app)
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    return {"join_code": code, "baseline": baseline, "pages": pages}


def report(figures: dict) -> str:
    """A plain-text table: each page load's resources, totals, and the margin left in its budget."""
    code = figures["join_code"]
    head = f"{'':4}{'resource':<50}{'kind':<14}{'cache':<11}{'how':<12}{'raw':>9}{'gzip':>9}{'br':>9}"

    def row(r: Resource) -> str:
        url = HASH.sub(".<hash>", r.url.replace(code, "<code>"))
        return f"{'':4}{url:<50}{r.kind:<14}{r.cache:<11}{r.how:<12}{r.raw:>9,}{r.gzip:>9,}{r.br:>9,}"

    base: Resource = figures["baseline"]
    lines = [
        f"Phone page weight: body bytes as sent; gzip = to a browser over plain HTTP, br = over"
        f" HTTPS; budget {BUDGET:,} bytes (gzip) a first load, {AGAIN_BUDGET:,} a second visit",
        "",
        "Baseline, the Socket.IO client alone:",
        head,
        row(base),
    ]
    for page in figures["pages"]:
        lines += ["", f"{page.name}:", head]
        lines += [row(r) for r in page.resources]
        total = f"total, {page.requests} requests for {len(page.resources)} URLs"
        lines.append(f"{'':4}{total:<87}{page.raw:>9,}{page.gzip:>9,}{page.br:>9,}")
        margin = page.budget - page.sent
        verdict = "under" if margin > 0 else "OVER"
        lines.append(
            f"{'':4}budget {page.budget:,}: {verdict}, margin {margin:,} bytes ({margin / page.budget:.0%})"
        )
        if page.elsewhere:
            lines.append(f"{'':4}not counted, other origins: {', '.join(page.elsewhere)}")
        if page.on_demand:
            lines.append(f"{'':4}not fetched here, only where the meeting has the part: {', '.join(page.on_demand)}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(run()))
