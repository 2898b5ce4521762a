"""Browser tests: pytest + Playwright driving Debian's Chromium against the built dist/."""
import functools
import http.server
import os
import shutil
import socketserver
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
CHROMIUM = os.environ.get("TAF_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript"}

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(directory: Path):
    server = Server(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def dist():
    if not os.environ.get("TAF_SKIP_BUILD"):
        done = subprocess.run([sys.executable, str(ROOT / "build.py")], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    assert (DIST / "index.html").exists()
    return DIST


@pytest.fixture(scope="session")
def base_url(dist):
    server, url = serve(dist)
    yield url + "/"
    server.shutdown()


@pytest.fixture(scope="session")
def subpath_url(dist, tmp_path_factory):
    root = tmp_path_factory.mktemp("host")
    (root / "tools" / "taf").parent.mkdir(parents=True)
    os.symlink(dist, root / "tools" / "taf")
    server, url = serve(root)
    yield url + "/tools/taf/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


LIVE_RESULT = '[data-testid="result"][data-source="live"][data-pending="false"]'

# On a slow, loaded CI machine (2 shared cores) scoring an upload, importing a config or booting the
# engine takes several times longer than on a desk: Playwright's default 5 s for expect() is too short.
# A longer wait only changes how long a failing check takes to fail, never what it accepts.
try:
    from playwright.sync_api import expect
    expect.set_options(timeout=30_000)
except ImportError:  # the browser fixture skips without Playwright
    pass


class PageProbe:
    """A fresh context with every request outside localhost aborted and recorded, and the
    console watched for errors."""

    def __init__(self, browser, viewport=None, block=None):
        self.context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
        self.foreign, self.errors = [], []
        block = block or []

        def route(r):
            url = r.request.url
            host = urlparse(url).hostname
            if url.startswith("data:") or url.startswith("blob:"):
                return r.continue_()
            if host not in ("127.0.0.1", "localhost"):
                self.foreign.append(url)
                return r.abort()
            if any(pattern in url for pattern in block):
                return r.abort()
            return r.continue_()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def ready(self, timeout=60000):
        self.page.wait_for_selector('[data-testid="engine-status"][data-state="ready"]', timeout=timeout)

    def settled(self, timeout=60000):
        """Wait for the result panel's newest request to be answered. Right after goto() that can
        need the engine to boot (a request not in the prerendered tables): 20+ s under load."""
        self.page.wait_for_selector('[data-testid="result"][data-pending="false"]', timeout=timeout)

    def live(self, timeout=30000):
        """Wait for a result the engine computed (not a prerendered one) to be drawn."""
        self.page.wait_for_selector(LIVE_RESULT, timeout=timeout)

    def close(self):
        self.context.close()


@pytest.fixture
def probe(browser):
    made = []

    def make(**kw):
        p = PageProbe(browser, **kw)
        made.append(p)
        return p
    yield make
    for p in made:
        p.close()


def read_headers_file(path: Path) -> list:
    """The rules of a Netlify/Cloudflare Pages `_headers` file: [(path pattern, [(name, value)])]."""
    rules = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        else:
            name, _, value = line.strip().partition(":")
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


@pytest.fixture(scope="session")
def headers_url(dist):
    """dist/ served the way a host that reads dist/_headers serves it (the CSP reaches the worker)."""
    rules = read_headers_file(dist / "_headers")

    class HeadersHandler(QuietHandler):
        def end_headers(self):
            path = urlparse(self.path).path
            for pattern, headers in rules:
                if path == pattern or (pattern.endswith("*") and path.startswith(pattern[:-1])):
                    for name, value in headers:
                        self.send_header(name, value)
            super().end_headers()

    server = Server(("127.0.0.1", 0), functools.partial(HeadersHandler, directory=str(dist)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
