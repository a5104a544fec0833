"""deploy/nginx.conf on the nginx a council's Debian or Ubuntu server installs: `nginx -t` accepts
it, and run for real in front of the app, it serves the app's hashed static files compressed and
kept for good, the same bytes the app sends, and passes everything else to the app.

The file is used as it is, inside a small main configuration with paths of the test's own; only
what names this machine changes: the certificate (made here, self-signed), the ports, the
instance folder and the processes' addresses."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
from werkzeug.serving import make_server

import facilitator
from facilitator import assets, create_app, database
from facilitator.extensions import db

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "deploy" / "nginx.conf"
STATIC = Path(facilitator.__file__).parent / "static"
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
FOREVER = "max-age=315360000, public, immutable"
# Warns on nginx 1.25.1 and newer, where `http2 on;` is the new form; 1.22 knows only this one.
DEPRECATED_HTTP2 = re.compile(r'the "listen \.\.\. http2" directive is deprecated')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def nginx() -> str:
    if not Path(NGINX).exists():
        pytest.skip(f"{NGINX} is missing: `make test` installs Debian's nginx")
    if not Path(OPENSSL).exists():
        pytest.skip(f"{OPENSSL} is missing: `make test` installs Debian's openssl")
    return NGINX


@pytest.fixture(scope="module")
def folder():
    """A folder nginx's workers (`nobody` when the tests run as root) may read."""
    with tempfile.TemporaryDirectory(prefix="facilitator-nginx-") as made:
        os.chmod(made, 0o755)
        yield Path(made)


@pytest.fixture(scope="module")
def certificate(nginx, folder) -> tuple[Path, Path]:
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def configure(folder: Path, cert: Path, key: Path, *, ports: dict[str, int] | None = None) -> Path:
    """deploy/nginx.conf inside a main configuration of the test's own; with `ports`, on loopback
    ports of this machine, in front of one app process."""
    site = CONF.read_text()
    site = site.replace("/etc/letsencrypt/live/facilitator.council.example/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/facilitator.council.example/privkey.pem", str(key))
    site = site.replace("/opt/facilitator/app/instance/assets", str(folder / "assets"))
    if ports:
        site = re.sub(r"server 127\.0\.0\.1:\d+ ", f"server 127.0.0.1:{ports['app']} ", site)
        site = re.sub(r"^\s*listen \[::\].*\n", "", site, flags=re.MULTILINE)
        site = site.replace("listen 80;", f"listen 127.0.0.1:{ports['http']};")
        site = site.replace("listen 443 ", f"listen 127.0.0.1:{ports['https']} ")
    (folder / "facilitator.conf").write_text(site)
    mime_types = Path("/etc/nginx/mime.types")
    types = f"include {mime_types};" if mime_types.exists() else "types { text/css css; text/javascript js; }"
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temporary = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in kinds)
    main = folder / "nginx.conf"
    main.write_text(
        f"pid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} warn;\n"
        "events {}\n"
        "http {\n"
        f"    {types}\n"
        "    default_type application/octet-stream;\n"
        f"{temporary}\n"
        f"    include {folder / 'facilitator.conf'};\n"
        "}\n"
    )
    return main


def nginx_command(nginx: str, folder: Path, main: Path) -> list[str]:
    return [nginx, "-p", f"{folder}/", "-c", str(main), "-e", str(folder / "error.log")]


def test_nginx_accepts_the_deployed_configuration(nginx, folder, certificate):
    main = configure(folder, *certificate)
    checked = subprocess.run(
        [*nginx_command(nginx, folder, main), "-t"], capture_output=True, text=True, timeout=60
    )
    said = checked.stderr + checked.stdout
    assert checked.returncode == 0, said
    assert "syntax is ok" in said and "test is successful" in said, said
    warnings = [line for line in said.splitlines() if "[warn]" in line or "[emerg]" in line]
    assert [w for w in warnings if not DEPRECATED_HTTP2.search(w)] == [], said


@pytest.fixture(scope="module")
def app_process(tmp_path_factory):
    """The app, in test mode on a fresh database, served over HTTP on a loopback port."""
    url = f"sqlite:///{tmp_path_factory.mktemp('nginx-app') / 'test.sqlite3'}"
    app = create_app({"ENV_NAME": "test", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        database.upgrade_schema()
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, server.server_port
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def proxy(nginx, folder, certificate, app_process):
    """nginx with deploy/nginx.conf in front of the app, its static files built where it looks."""
    app, app_port = app_process
    assets.build(STATIC, folder / "assets" / "static")
    ports = {"app": app_port, "http": free_port(), "https": free_port()}
    main = configure(folder, *certificate, ports=ports)
    process = subprocess.Popen(
        [*nginx_command(nginx, folder, main), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, f"nginx stopped: {process.stderr.read().decode()}"
            try:
                socket.create_connection(("127.0.0.1", ports["https"]), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not start listening"
                time.sleep(0.1)
        yield app, ports, certificate[0]
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stderr.close()


def fetch(port: int, path: str, cert: Path | None = None, **headers: str) -> tuple[int, dict, bytes]:
    """A GET as it arrives: status, headers and the body as sent (never decompressed)."""
    if cert is None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    else:
        context = ssl.create_default_context(cafile=str(cert))
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=20, context=context)
    try:
        connection.request("GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_behind_nginx_hashed_static_files_are_the_apps_own_bytes_kept_for_good(proxy):
    app, ports, cert = proxy
    hashed = f"/static/{app.extensions['facilitator_assets'].names['js/lib/meeting.js']}"
    status, headers, body = fetch(ports["https"], hashed, cert, Accept_Encoding="gzip, deflate")
    assert status == 200
    assert headers["cache-control"] == FOREVER
    assert headers["content-encoding"] == "gzip" and headers["vary"] == "Accept-Encoding"
    assert headers["x-content-type-options"] == "nosniff"
    assert "javascript" in headers["content-type"]
    _, from_app, apps_body = fetch(ports["app"], hashed, Accept_Encoding="gzip, deflate")
    assert body == apps_body and from_app["cache-control"] == FOREVER
    assert "server" in headers and headers["server"].startswith("nginx")


def test_behind_nginx_other_static_names_and_pages_are_the_apps_answers(proxy):
    app, ports, cert = proxy
    status, headers, _ = fetch(ports["https"], "/static/css/app.css", cert, Accept_Encoding="gzip")
    assert status == 200
    assert "immutable" not in headers.get("cache-control", "") and "no-cache" in headers["cache-control"]
    status, headers, _ = fetch(ports["https"], "/static/css/app.0123456789ab.css", cert)
    assert status == 404 and "immutable" not in headers.get("cache-control", "")
    status, headers, body = fetch(ports["https"], "/login", cert, Accept_Encoding="gzip, deflate")
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert headers["cache-control"] == "no-store" and "content-security-policy" in headers
    status, headers, _ = fetch(ports["http"], "/login")
    assert status == 301 and headers["location"].startswith("https://")


def test_behind_nginx_browsers_may_speak_http2(proxy):
    _, ports, cert = proxy
    context = ssl.create_default_context(cafile=str(cert))
    context.set_alpn_protocols(["h2", "http/1.1"])
    with socket.create_connection(("127.0.0.1", ports["https"]), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            assert tls.selected_alpn_protocol() == "h2"
