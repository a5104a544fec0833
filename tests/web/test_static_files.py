"""Static files as the app serves them without nginx: hashed names kept by browsers for good,
compressed as the browser accepts, every module a page loads found; and pages compressed too."""

from __future__ import annotations

import gzip
import os
import re
import time
from pathlib import Path
from urllib.parse import urljoin

import brotli
import pytest

import facilitator
from bench import page_weight
from facilitator import assets

STATIC = Path(facilitator.__file__).parent / "static"
FOREVER = "max-age=315360000, public, immutable"
HASHED = re.compile(r"^/static/.+\.[0-9a-f]{12}(\.[^./]+)?$")
STATIC_URL = re.compile(r"""(?:src|href)="(/static/[^"#]+)""")


def built(app):
    return app.extensions["facilitator_assets"]


def hashed_url(app, name):
    return f"/static/{built(app).names[name]}"


@pytest.fixture
def meeting(make_meeting):
    return make_meeting(purpose="A plan for J. to be safe")


@pytest.fixture
def pages(app, client, auth, post, meeting):
    """Every page that loads scripts, as each of its viewers gets it."""
    auth.login()
    screen = post(f"/meetings/{meeting.id}/screen").headers["Location"]
    phone = app.test_client()
    form = phone.get(f"/join/{meeting.join_code}").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', form).group(1)
    data = {"name": "Kerry", "relation": "Mum", "side": "family", "csrf_token": token}
    assert phone.post(f"/join/{meeting.join_code}", data=data).status_code == 302
    return {
        "login": (app.test_client(), "/login"),
        "meetings": (client, "/meetings/"),
        "console": (client, f"/meetings/{meeting.id}"),
        "agenda": (client, f"/meetings/{meeting.id}/agenda/"),
        "room screen": (app.test_client(), screen),
        "join form": (app.test_client(), f"/join/{meeting.join_code}"),
        "phone": (phone, f"/join/{meeting.join_code}"),
    }


def test_pages_name_every_static_file_by_its_hashed_name(pages):
    for name, (viewer, url) in pages.items():
        html = viewer.get(url).get_data(as_text=True)
        named = STATIC_URL.findall(html)
        assert named, f"{name} loads no static file"
        for static in named:
            assert HASHED.match(static), f"{name} names {static} without its hash"


def test_every_module_a_page_loads_is_found_following_its_imports(pages):
    scripts = set()
    for name, (viewer, url) in pages.items():
        load = page_weight.PageLoad(name, page_weight.Phone(viewer))
        load.fetch(url, "document")  # fails on any answer but 200, imports included
        scripts |= {r.url for r in load.resources if r.url.endswith(".js")}
        for r in load.resources:
            if r.url.startswith("/static/"):
                assert HASHED.match(r.url), f"{name} loads {r.url}, a name without its hash"
    for page in ("console", "room screen", "phone"):
        assert any("/vendor/socket.io-" in s for s in scripts), page


def test_every_built_module_imports_only_hashed_copies_that_are_served(app, client):
    build = built(app)
    for name, hashed in build.names.items():
        if not name.endswith(".js"):
            continue
        copy = (build.folder / hashed).read_text()
        for written in assets.JS_IMPORT.finditer(copy):
            spec = written.group("spec") or written.group("dynamic")
            target = urljoin(f"/static/{hashed}", spec)
            assert HASHED.match(target), f"{name} imports {spec}, not a hashed copy"
            with client.get(target) as response:
                assert response.status_code == 200, f"{name} imports {spec}: {response.status_code}"
                assert response.mimetype == "text/javascript"


def test_hashed_files_are_kept_for_good_and_compressed_as_the_browser_accepts(app, client):
    url = hashed_url(app, "css/app.css")
    source = (STATIC / "css" / "app.css").read_bytes()
    with client.get(url) as plain, client.get(url, headers={"Accept-Encoding": "gzip, deflate"}) as gzipped:
        with client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"}) as brotlied:
            for response in (plain, gzipped, brotlied):
                assert response.status_code == 200
                assert response.headers["Cache-Control"] == FOREVER
                assert response.headers["Vary"] == "Accept-Encoding"
                assert response.headers["X-Content-Type-Options"] == "nosniff"
                assert response.mimetype == "text/css"
            assert "Content-Encoding" not in plain.headers and plain.get_data() == source
            assert gzipped.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(gzipped.get_data()) == source
            assert brotlied.headers["Content-Encoding"] == "br"
            assert brotli.decompress(brotlied.get_data()) == source
            assert len(brotlied.get_data()) < len(gzipped.get_data()) < len(source) / 3


def test_a_plain_or_unknown_static_url_is_not_kept_for_good(app, client):
    with client.get("/static/css/app.css") as plain:
        assert plain.status_code == 200  # the source file, for an old link
        assert "immutable" not in plain.headers.get("Cache-Control", "")
        assert "max-age" not in plain.headers.get("Cache-Control", "").replace("max-age=0", "")
        assert "no-cache" in plain.headers["Cache-Control"]
    real = hashed_url(app, "css/app.css")
    for unknown in ("/static/css/app.0123456789ab.css", "/static/css/nothing.css", real + "x"):
        with client.get(unknown) as response:
            assert response.status_code == 404, unknown
            cache = response.headers.get("Cache-Control", "")
            assert "immutable" not in cache and "max-age" not in cache, unknown


def test_pages_are_compressed_when_the_browser_accepts_it(client):
    plain = client.get("/login")
    gzipped = client.get("/login", headers={"Accept-Encoding": "gzip, deflate"})
    brotlied = client.get("/login", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers
    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert brotlied.headers["Content-Encoding"] == "br"
    for response in (plain, gzipped, brotlied):
        assert "Accept-Encoding" in response.headers["Vary"]
        assert response.headers["Cache-Control"] == "no-store"
        assert "Content-Security-Policy" in response.headers
    page = gzip.decompress(gzipped.get_data()).decode()
    assert "<title>" in page and len(gzipped.get_data()) < len(plain.get_data()) / 2


# The build itself, on source trees of its own.


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


APP = {
    "js/page.js": (
        'import { a } from "./lib/a.js";\nimport "../other.js";\nconst later = () => import("./lib/b.js");\n'
    ),
    "js/lib/a.js": 'import { b } from "./b.js";\nexport const a = b + 1;\n',
    "js/lib/b.js": "export const b = 1;\n",
    "js/alone.js": "export const alone = true;\n",
    "other.js": "export {};\n",
    "css/site.css": (
        'body { background: url("../img/dot.svg#x") }\n.y { background: url(data:image/png;base64,AA) }\n'
    ),
    "img/dot.svg": '<svg xmlns="http://www.w3.org/2000/svg"></svg>\n',
}


def test_a_copy_imports_hashed_copies_and_is_renamed_when_anything_it_reaches_changes(tmp_path):
    source, target = tmp_path / "source", tmp_path / "built"
    write(source, APP)
    first = assets.build(source, target)
    page = (target / first.names["js/page.js"]).read_text()
    lib_a = first.names["js/lib/a.js"].split("/")[-1]
    lib_b = first.names["js/lib/b.js"].split("/")[-1]
    other = first.names["other.js"].split("/")[-1]
    assert f'from "./lib/{lib_a}"' in page and f'import "../{other}"' in page
    assert f'import("./lib/{lib_b}")' in page
    assert f'from "./{lib_b}"' in (target / first.names["js/lib/a.js"]).read_text()
    css = (target / first.names["css/site.css"]).read_text()
    assert f'url("../img/{first.names["img/dot.svg"].split("/")[-1]}#x")' in css
    assert "url(data:image/png;base64,AA)" in css
    assert first.modules_under("js/page.js") == ["js/lib/a.js", "other.js", "js/lib/b.js"]

    write(source, {"js/lib/b.js": "export const b = 2;\n"})
    second = assets.build(source, target)
    changed = {name for name in APP if first.names[name] != second.names[name]}
    assert changed == {"js/lib/b.js", "js/lib/a.js", "js/page.js"}
    for names in (first.names, second.names):  # both builds stay whole, side by side
        assert all((target / hashed).is_file() for hashed in names.values())


def test_building_again_rewrites_nothing(tmp_path):
    source, target = tmp_path / "source", tmp_path / "built"
    write(source, APP)
    first = assets.build(source, target)
    inodes = {p: p.stat().st_ino for p in target.rglob("*") if p.is_file()}
    assert assets.build(source, target) == first
    assert {p: p.stat().st_ino for p in target.rglob("*") if p.is_file()} == inodes


def test_modules_that_import_each_other_are_built(tmp_path):
    source, target = tmp_path / "source", tmp_path / "built"
    write(source, {"a.js": 'import "./b.js";\n', "b.js": 'import "./a.js";\n'})
    build = assets.build(source, target)
    a, b = build.names["a.js"], build.names["b.js"]
    assert (target / a).read_text() == f'import "./{b}";\n'
    assert (target / b).read_text() == f'import "./{a}";\n'
    assert build.modules_under("a.js") == ["b.js"]


def test_a_module_imported_only_later_is_not_preloaded_but_still_hashed(tmp_path):
    """A part few pages need (`import()` when the meeting has it) is not fetched with the page."""
    source, target = tmp_path / "source", tmp_path / "built"
    write(source, {"page.js": 'import "./now.js";\nconst later = () => import("./later.js");\n', "now.js": "", "later.js": 'import "./deep.js";\n', "deep.js": ""})
    first = assets.build(source, target)
    assert first.modules_under("page.js") == ["now.js"]
    assert f'import("./{first.names["later.js"]}")' in (target / first.names["page.js"]).read_text()
    write(source, {"deep.js": "export const changed = true;\n"})
    assert assets.build(source, target).names["page.js"] != first.names["page.js"]


def test_an_import_of_a_missing_file_is_left_as_written(tmp_path):
    source, target = tmp_path / "source", tmp_path / "built"
    write(source, {"a.js": 'import "./missing.js";\nimport "/elsewhere.js";\n'})
    build = assets.build(source, target)
    assert (target / build.names["a.js"]).read_text() == 'import "./missing.js";\nimport "/elsewhere.js";\n'


def test_compressed_copies_are_kept_only_when_smaller(tmp_path):
    source, target = tmp_path / "source", tmp_path / "built"
    write(source, {"big.css": "body { color: black; }\n" * 200, "tiny.js": "1\n"})
    build = assets.build(source, target)
    big, tiny = target / build.names["big.css"], target / build.names["tiny.js"]
    assert gzip.decompress(big.with_name(big.name + ".gz").read_bytes()) == big.read_bytes()
    assert brotli.decompress(big.with_name(big.name + ".br").read_bytes()) == big.read_bytes()
    assert not tiny.with_name(tiny.name + ".gz").exists() and not tiny.with_name(tiny.name + ".br").exists()
    assert oct(big.stat().st_mode & 0o777) == "0o644"


def test_copies_no_build_has_used_for_a_week_are_removed(tmp_path):
    source, target = tmp_path / "source", tmp_path / "built"
    write(source, {"a.js": "export const a = 1;\n" * 50})
    old = target / assets.build(source, target).names["a.js"]
    write(source, {"a.js": "export const a = 2;\n" * 50})
    new = target / assets.build(source, target).names["a.js"]
    assert old.exists(), "the copy a running process may still serve is kept"
    week_ago = time.time() - assets.KEEP_UNUSED_SECONDS - 60
    for path in (old, new, old.with_name(old.name + ".gz")):
        os.utime(path, (week_ago, week_ago))
    assets.build(source, target)
    assert not old.exists() and not old.with_name(old.name + ".gz").exists()
    assert new.exists() and new.stat().st_mtime > week_ago + 60, "the build in use is marked as used"


def test_a_process_that_cannot_write_the_instance_folder_builds_elsewhere(tmp_path, caplog):
    source = tmp_path / "source"
    write(source, {"a.js": "export const a = 1;\n"})
    (tmp_path / "a-file").write_text("not a folder")
    build = assets.build_where_possible(source, tmp_path / "a-file" / "static")
    try:
        assert (build.folder / build.names["a.js"]).read_text() == "export const a = 1;\n"
        assert not build.folder.is_relative_to(tmp_path)
        assert "cannot build the static files" in caplog.text
    finally:
        import shutil

        shutil.rmtree(build.folder.parent)
