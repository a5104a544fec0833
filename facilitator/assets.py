"""Static files as a phone on weak signal should get them: under names that carry a hash of their
content, kept by the browser for good, and compressed once, ahead of time.

When the app is created, `build` copies facilitator/static/ into the instance folder
(instance/assets/static/), each file under a hashed name (js/lib/dom.js becomes
js/lib/dom.1a2b3c4d5e6f.js), with gzip and brotli copies beside it. WhiteNoise serves those
copies, before Flask and Socket.IO see the request, in the smallest encoding the browser accepts,
with `Cache-Control: max-age=315360000, public, immutable`; `url_for('static', ...)` gives the
hashed names. Scripts import each other by relative path ("./dom.js", "../read-aloud.js"), and a
stylesheet's url() names files too: in the copies those references name the hashed copies, so a
module's name changes whenever anything it imports, however indirectly, changes.

A hashed name never changes its content, so a build is safe to repeat and to run in several
processes at once: a file already there is kept, a new one is written beside it and renamed into
place. Any other URL under /static/ (a file's plain name) is Flask's own static route: the source
file, revalidated on every use.

Pages are compressed as they are sent (Flask-Compress), when the browser accepts it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import posixpath
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from wsgiref.headers import Headers

from flask import Flask, current_app, url_for
from flask_compress import Compress
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

log = logging.getLogger(__name__)

HASH_LENGTH = 12
# A copy no build uses any more is removed once it is this old: every start marks its own build's
# copies as used, and a process started before an upgrade keeps serving its own meanwhile.
KEEP_UNUSED_SECONDS = 7 * 24 * 60 * 60
# A compressed copy is kept only when it is at least this much smaller.
WORTH_COMPRESSING = 0.95
SCRIPTS = (".js", ".mjs")
STYLESHEETS = (".css",)
# Relative module specifiers: `import x from "./a.js"`, `import "./a.js"`, `export * from "../a.js"`,
# and `import("./a.js")`.
JS_IMPORT = re.compile(
    r"""\b(?:import|export)\s*(?:[\w*{}\s,$]+?\s*from\s*)?(["'])(?P<spec>\.{1,2}/[^"'\n]*)\1"""
    r"""|\bimport\s*\(\s*(["'])(?P<dynamic>\.{1,2}/[^"'\n]*)\3\s*\)"""
)
CSS_URL = re.compile(
    r"""url\(\s*(["']?)(?P<spec>[^"')\s]+)\1\s*\)|@import\s+(["'])(?P<dynamic>[^"']+)\3"""
)
# The security headers pages carry that matter for a file: its type is what it says.
STATIC_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
# Pages and their data, compressed as they are sent; static files come compressed already.
COMPRESSED_TYPES = ["text/html", "text/plain", "text/csv", "application/json", "text/css", "text/javascript"]


@dataclass(frozen=True)
class Reference:
    """Where a file names another static file: the span of the path as written, and the file."""

    start: int
    end: int
    target: str
    # `import("./a.js")`: fetched when the script asks for it, so not preloaded with the page.
    later: bool = False


@dataclass(frozen=True)
class Build:
    """The hashed copies: where they are, and each source file's hashed name (both relative to
    the static folder), with the files each script imports directly."""

    folder: Path
    names: dict[str, str]
    imports: dict[str, tuple[str, ...]]
    # What each script imports at once (not `import()`ed later): what its page preloads.
    at_once: dict[str, tuple[str, ...]]

    def modules_under(self, entry: str) -> list[str]:
        """Every module a script imports at once, however indirectly, nearest first (not the
        script). A module loaded later with `import()` is left out, and so is all it imports."""
        found: list[str] = []
        queue = list(self.at_once.get(entry, ()))
        while queue:
            module = queue.pop(0)
            if module != entry and module not in found:
                found.append(module)
                queue += self.at_once.get(module, ())
        return found


def references(name: str, body: bytes, files: dict[str, bytes]) -> list[Reference]:
    """The other static files a script imports or a stylesheet loads, by relative path."""
    if name.endswith(SCRIPTS):
        pattern = JS_IMPORT
    elif name.endswith(STYLESHEETS):
        pattern = CSS_URL
    else:
        return []
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return []
    found = []
    for match in pattern.finditer(text):
        group = "spec" if match.group("spec") is not None else "dynamic"
        written = match.group(group)
        path = re.split(r"[?#]", written, maxsplit=1)[0]
        if not path or path.startswith("/") or re.match(r"^[a-z][a-z0-9+.-]*:", path, re.IGNORECASE):
            continue  # a root path, another origin, data: - not a relative file
        target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
        if target in files:
            start = match.start(group)
            found.append(Reference(start, start + len(path), target, later=group == "dynamic" and name.endswith(SCRIPTS)))
    return found


def reached_from(name: str, imports: dict[str, tuple[str, ...]]) -> set[str]:
    """A file and every file it references, however indirectly (cycles included)."""
    seen, stack = {name}, [name]
    while stack:
        for target in imports[stack.pop()]:
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def hashed_name(name: str, digest: str) -> str:
    """js/lib/dom.js -> js/lib/dom.<digest>.js; a name without an extension gets the digest last."""
    folder, base = posixpath.split(name)
    stem, dot, suffix = base.rpartition(".")
    base = f"{stem}.{digest}.{suffix}" if dot and stem else f"{base}.{digest}"
    return posixpath.join(folder, base)


def rewritten(name: str, body: bytes, found: list[Reference], names: dict[str, str]) -> bytes:
    """A file's copy: each reference names its target's hashed copy, by the same relative path."""
    if not found:
        return body
    text = body.decode("utf-8")
    for reference in sorted(found, key=lambda r: r.start, reverse=True):
        written = text[reference.start : reference.end]
        renamed = posixpath.join(posixpath.dirname(written), posixpath.basename(names[reference.target]))
        text = text[: reference.start] + renamed + text[reference.end :]
    return text.encode("utf-8")


def source_files(source: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            files[relative.as_posix()] = path.read_bytes()
    return files


def build(source: Path, target: Path) -> Build:
    """Copy every file of `source` into `target` under its hashed name, with its compressed
    copies; files already there are kept as they are."""
    files = source_files(source)
    found = {name: references(name, body, files) for name, body in files.items()}
    imports = {name: tuple(dict.fromkeys(r.target for r in refs)) for name, refs in found.items()}
    at_once = {name: tuple(dict.fromkeys(r.target for r in refs if not r.later)) for name, refs in found.items()}
    names = {}
    for name in files:
        # The copy depends on the names of what it references, which depend on what those
        # reference: its hash covers everything it reaches.
        digest = hashlib.sha256()
        for reached in sorted(reached_from(name, imports)):
            digest.update(reached.encode() + b"\0" + hashlib.sha256(files[reached]).digest())
        names[name] = hashed_name(name, digest.hexdigest()[:HASH_LENGTH])
    for name, body in files.items():
        write_once(target / names[name], rewritten(name, body, found[name], names))
    remove_unused(target, {target / hashed for hashed in names.values()})
    return Build(folder=target, names=names, imports=imports, at_once=at_once)


def write_once(path: Path, body: bytes) -> None:
    """Write a hashed copy and its compressed copies, unless it is there already. The compressed
    copies come first, and each file appears whole (renamed into place): a copy that exists is
    complete."""
    if path.exists():
        mark_used(path)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    compressor = Compressor(quiet=True)
    if compressor.should_compress(path.name):
        encodings = [(".br", compressor.compress_brotli)] if compressor.use_brotli else []
        for suffix, compress in [*encodings, (".gz", compressor.compress_gzip)]:
            packed = compress(body)
            if len(packed) <= WORTH_COMPRESSING * len(body):
                write_whole(path.with_name(path.name + suffix), packed)
    write_whole(path, body)


def write_whole(path: Path, body: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(body)
        os.chmod(temporary, 0o644)  # nginx's workers serve them too
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def mark_used(path: Path) -> None:
    for used in (path, path.with_name(path.name + ".gz"), path.with_name(path.name + ".br")):
        try:
            os.utime(used)
        except OSError:
            pass  # absent, or a folder this process may only read


def remove_unused(target: Path, current: set[Path]) -> None:
    """Remove copies this build does not use that no start has marked as used for a while."""
    keep = current | {p.with_name(p.name + suffix) for p in current for suffix in (".gz", ".br")}
    oldest = time.time() - KEEP_UNUSED_SECONDS
    for path in target.rglob("*"):
        try:
            if path.is_file() and path not in keep and path.stat().st_mtime < oldest:
                path.unlink()
        except OSError:
            pass


def build_where_possible(source: Path, target: Path) -> Build:
    """Build into the instance folder; a process that may not write there (and finds the build
    missing) builds into a temporary folder of its own."""
    try:
        return build(source, target)
    except OSError as error:
        fallback = Path(tempfile.mkdtemp(prefix="facilitator-static-")) / "static"
        log.warning("cannot build the static files in %s (%s): building them in %s", target, error, fallback)
        return build(source, fallback)


def static_headers(headers: Headers, path: str, url: str) -> None:
    for name, value in STATIC_HEADERS.items():
        headers[name] = value


def serve_hashed(app: Flask, built: Build) -> WhiteNoise:
    """WhiteNoise in front of the app, serving exactly this build's hashed copies: cached for good
    (they never change), compressed as the browser accepts."""
    served = WhiteNoise(
        app.wsgi_app,
        allow_all_origins=False,
        add_headers_function=static_headers,
        immutable_file_test=lambda path, url: True,
    )
    prefix = (app.static_url_path or "/static").rstrip("/")
    for hashed in built.names.values():
        served.add_file_to_dictionary(f"{prefix}/{hashed}", str(built.folder / hashed))
    return served


def hashed_static_names(endpoint: str, values: dict) -> None:
    """`url_for('static', filename=...)`: the file's hashed name."""
    if endpoint == "static" and values.get("filename") in current_build().names:
        values["filename"] = current_build().names[values["filename"]]


def current_build() -> Build:
    return current_app.extensions["facilitator_assets"]


def module_preloads(entry: str) -> Iterator[str]:
    """The URLs of every module a page's script imports, for `<link rel="modulepreload">`: the
    browser fetches them all at once instead of one level of imports after another."""
    for module in current_build().modules_under(entry):
        yield url_for("static", filename=module)


def init_app(app: Flask) -> None:
    """Call before the live side: the Socket.IO middleware then wraps outside WhiteNoise."""
    folder = app.config.get("STATIC_BUILD_FOLDER") or Path(app.instance_path) / "assets"
    built = build_where_possible(Path(app.static_folder or ""), Path(folder) / "static")
    app.extensions["facilitator_assets"] = built
    app.wsgi_app = serve_hashed(app, built)  # type: ignore[method-assign]
    app.url_defaults(hashed_static_names)
    app.jinja_env.globals["module_preloads"] = module_preloads
    for setting, value in {
        "COMPRESS_MIMETYPES": COMPRESSED_TYPES,
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_LEVEL": 6,
        "COMPRESS_BR_LEVEL": 5,
        "COMPRESS_MIN_SIZE": 500,
        "COMPRESS_STREAMS": False,
    }.items():
        app.config.setdefault(setting, value)
    Compress(app)
