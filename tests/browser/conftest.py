"""Browser tests: a real Chromium (Debian's, through Playwright) against live portals.

- `live_portal`: the portal in a thread on a free loopback port, with the run's migrated
  database, the demo data and the two development providers (`oidc-provider-mock`).
- `panva_provider` / `panva_portal`: a certified OpenID Provider (panva `oidc-provider`
  under Node) and a second portal that trusts only it.
- `axe_context` / `assert_no_axe_violations`: axe-core's WCAG 2.2 AA checks.

Everything is reached as http://localhost:PORT, the name the providers give their issuer;
each portal is given its own such address as PORTAL_URL, on which it builds its redirect
URIs. The database is shared with the rest of the suite: it is emptied when this
package's tests are done.
"""

import logging
import os
import re
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from flask import Flask
from werkzeug.serving import make_server

from portal import create_app
from portal.extensions import db
from tests.conftest import CLIENT_ID, CLIENT_SECRET, clean_database, make_config

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PANVA_SCRIPT = Path(__file__).with_name("panva_provider.mjs")
CHROMIUM = "/usr/bin/chromium"
NODE = "/usr/bin/node"

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


# --- Chromium ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (Playwright cannot download its own here), kept quiet and offline:
    pages of the providers that import web fonts fail fast instead of waiting on DNS."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB",
            "viewport": {"width": 1280, "height": 800}}


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# --- axe-core ---------------------------------------------------------------------------

@pytest.fixture
def axe_context(new_context):
    """A browser context that may inject axe-core: the portal's own Content Security
    Policy rightly refuses injected scripts, so only this context bypasses it."""
    return new_context(bypass_csp=True)


def axe_violations(page) -> list[dict]:
    """Run axe-core's WCAG 2.2 AA rules on the page as it is now; return the violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        """tags => axe.run(document, {
               runOnly: {type: 'tag', values: tags},
               resultTypes: ['violations'],
           })""",
        WCAG_22_AA,
    )
    return results["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v.get('impact')}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def assert_no_axe_violations(page) -> None:
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core found {len(violations)} WCAG 2.2 AA violation(s) on {page.url}:\n"
        + format_violations(violations)
    )


# --- Live portals -----------------------------------------------------------------------

@dataclass
class LivePortal:
    app: Flask
    url: str  # http://localhost:PORT, no trailing slash

    def __call__(self, path: str = "/") -> str:
        return self.url + path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="package")
def browser_database(database_url) -> Iterator[str]:
    """The run's database, emptied when the browser tests are done with it (the portals
    started here are stopped, and their connections closed, before that)."""
    yield database_url
    app = create_app(make_config(database_url, {}))
    with app.app_context():
        clean_database(db.engine)
        db.engine.dispose()


def _serve(app: Flask) -> Iterator[LivePortal]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-portal", daemon=True)
    thread.start()
    url = f"http://localhost:{server.server_port}"
    # The portal builds every external URL on PORTAL_URL: the address it really has.
    app.config["PORTAL_URL"] = url
    try:
        yield LivePortal(app=app, url=url)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="package")
def live_portal(browser_database, identity_providers) -> Iterator[LivePortal]:
    """The portal with both development providers (staff and partner) and the demo data."""
    from portal.demo import seed_demo_data

    app = create_app(make_config(browser_database, identity_providers))
    with app.app_context():
        seed_demo_data(identity_providers)
        db.session.remove()
    yield from _serve(app)


@dataclass
class PanvaProvider:
    issuer: str
    process: subprocess.Popen
    log: Path


@pytest.fixture(scope="package")
def panva_provider_port() -> int:
    return free_port()


@pytest.fixture(scope="package")
def panva_portal(browser_database, panva_provider_port) -> Iterator[LivePortal]:
    """A second portal whose only (staff) provider is the certified one. It does not
    answer until `panva_provider` runs, which needs this portal's address first."""
    issuer = f"http://localhost:{panva_provider_port}"
    app = create_app(make_config(browser_database, {"staff": issuer}))
    yield from _serve(app)


@pytest.fixture(scope="package")
def panva_provider(panva_portal, panva_provider_port, tmp_path_factory) -> Iterator[PanvaProvider]:
    """panva `oidc-provider` 9.x under Node, with the portal as its one confidential client."""
    port = panva_provider_port
    issuer = f"http://localhost:{port}"
    log = tmp_path_factory.mktemp("panva") / "provider.log"
    env = os.environ | {
        "OP_PORT": str(port),
        "OP_ISSUER": issuer,
        "OP_CLIENT_ID": CLIENT_ID,
        "OP_CLIENT_SECRET": CLIENT_SECRET,
        "OP_REDIRECT_URI": panva_portal("/auth/callback"),
        "OP_POST_LOGOUT_REDIRECT_URI": panva_portal("/signed-out"),
    }
    with log.open("wb") as out:
        process = subprocess.Popen([NODE, str(PANVA_SCRIPT)], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for_discovery(issuer, process, log)
        yield PanvaProvider(issuer=issuer, process=process, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _wait_for_discovery(issuer: str, process: subprocess.Popen, log: Path) -> None:
    url = issuer + "/.well-known/openid-configuration"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"oidc-provider exited with {process.returncode}:\n{log.read_text()}")
        try:
            answer = requests.get(url, timeout=1)
            if answer.ok and answer.json().get("issuer") == issuer:
                return
        except (requests.RequestException, ValueError):
            pass
        time.sleep(0.1)
    pytest.fail(f"oidc-provider did not answer {url} within 20 s:\n{log.read_text()}")


# --- Journeys ---------------------------------------------------------------------------

INVITATION = re.compile(r"http://localhost:\d+/invitations/[\w-]+")


class Outbox(logging.Handler):
    """The e-mails the live portal writes to its log (the demo has no mail server)."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.bodies: list[str] = []

    def emit(self, record):
        self.bodies.append(record.getMessage())

    def last_invitation(self) -> str:
        """The link of the last host contact invitation sent."""
        return next(m.group(0) for body in reversed(self.bodies)
                    if (m := INVITATION.search(body)))


@pytest.fixture
def outbox() -> Iterator[Outbox]:
    """What the portal e-mails during one test (the invitation links among them)."""
    handler, logger = Outbox(), logging.getLogger("portal.notifications")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


def sign_in_with_mock(page, portal: LivePortal, subject: str = "staff-alex") -> None:
    """Sign in through the chooser and the development provider's persona buttons."""
    page.goto(portal("/sign-in"))
    label = ("Sign in with your work account" if not subject.startswith("host-")
             else "Sign in as a host organisation contact")
    page.get_by_role("link", name=label).click()
    page.get_by_role("button", name=subject, exact=True).click()
    page.wait_for_url(portal("/"))


def sign_out_with_mock(page, portal: LivePortal) -> None:
    """"Sign out" in the header, then confirm on the development provider's end-session
    page, which sends the browser back to the portal's "You have signed out" page."""
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(lambda url: url.startswith(portal("/signed-out")))


class AxeAudit:
    """Runs axe-core on each page it is shown and keeps what it finds, so that a journey
    asserts once, at its end, and one run reports every page with a violation.

    `audit(page, "name")` checks the page as it is now; `audit.assert_clean()` fails with
    a readable list, page by page. With `shots` (a directory), each page checked is also
    saved as a numbered full-page screenshot."""

    def __init__(self, shots: Path | None = None):
        self.pages: list[str] = []
        self.findings: dict[str, str] = {}
        self.shots = shots

    def __call__(self, page, name: str) -> None:
        self.pages.append(name)
        if self.shots:
            slug = "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())
            page.screenshot(path=self.shots / f"{len(self.pages):02d}-{slug}.png",
                            full_page=True)
        violations = axe_violations(page)
        if violations:
            self.findings[f"{name} ({page.url})"] = format_violations(violations)

    def assert_clean(self) -> None:
        assert not self.findings, (
            f"axe-core found WCAG 2.2 AA violations on {len(self.findings)} of "
            f"{len(self.pages)} pages:\n"
            + "\n".join(f"--- {name}\n{report}" for name, report in self.findings.items()))
