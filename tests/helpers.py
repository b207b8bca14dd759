"""Test helpers: a client that behaves like a browser session and signs in for real."""

from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urlparse

import requests
from bs4 import BeautifulSoup
from flask.ctx import _cv_app
from flask.testing import FlaskClient


class Page:
    """A parsed HTML response, with the checks most page tests make."""

    def __init__(self, response):
        self.response = response
        self.soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")

    @property
    def title(self) -> str:
        return self.soup.title.get_text(strip=True) if self.soup.title else ""

    @property
    def h1(self) -> str:
        h1 = self.soup.find("h1")
        return h1.get_text(" ", strip=True) if h1 else ""

    @property
    def text(self) -> str:
        return self.soup.get_text(" ", strip=True)

    def error_messages(self) -> list[str]:
        return [e.get_text(" ", strip=True) for e in self.soup.select(".govuk-error-message")]

    def select(self, selector):
        return self.soup.select(selector)


def title_problem(title: str, service: str = "Secondments",
                  organisation: str = "Example Council") -> str | None:
    """What is wrong with a page's <title>, or None: it must read "Page – Service –
    Organisation" (after "Error: " when a form has errors), naming the service and the
    organisation once each, with a page part of its own."""
    ending = f" – {service} – {organisation}"
    page = title.removeprefix("Error: ")
    if not page.endswith(ending):
        return f"does not end with {ending!r}: {title!r}"
    page = page.removesuffix(ending).strip()
    if not page or page == service:
        return f"has no page name of its own: {title!r}"
    if service in page.split(" – ") or organisation in page.split(" – ") or "Error:" in page:
        return f"repeats a part: {title!r}"
    return None


class PortalClient(FlaskClient):
    def open(self, *args, **kwargs):
        # Each request gets an application context of its own, as in production, even
        # when the test itself holds one: no database session or `g` leaks between them.
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)

    def page(self, url: str, status: int = 200, **kwargs) -> Page:
        response = self.get(url, **kwargs)
        assert response.status_code == status, (
            f"GET {url}: expected {status}, got {response.status_code} {response.location or ''}"
        )
        return Page(response)

    def csrf_token(self, url: str = "/") -> str:
        page = self.page(url)
        field = page.soup.find("input", {"name": "csrf_token"})
        assert field is not None, f"no CSRF token on {url}"
        return field["value"]

    def session_csrf_token(self) -> str:
        """A valid CSRF token for this browser's session, as a page with a form would
        carry, without asking for such a page (anonymous visitors may have none)."""
        from flask import session
        from flask_wtf.csrf import generate_csrf

        # An application context of its own: the token is cached on `g` for a request.
        with self.application.app_context(), self.application.test_request_context():
            token = generate_csrf()
            secret = session["csrf_token"]
        with self.session_transaction() as browser_session:
            browser_session["csrf_token"] = secret
        return token

    def start_sign_in(self, next_path: str | None = None, provider: str = "staff") -> str:
        """Begin single sign-on; return the provider's authorization URL."""
        query = {}
        if next_path:
            query["next"] = next_path
        if provider:
            query["provider"] = provider
        response = self.get("/sign-in", query_string=query)
        assert response.status_code == 302, response.status_code
        return response.location

    @staticmethod
    def choose_persona(authorize_url: str, subject: str) -> str:
        """What a person does on the development provider's page: pick a name.

        Returns the callback URL (path and query) the provider redirects back to."""
        answer = requests.post(authorize_url, data={"sub": subject}, allow_redirects=False,
                               timeout=10)
        assert answer.status_code == 302, answer.text[:500]
        callback = urlparse(answer.headers["location"])
        return f"{callback.path}?{callback.query}"

    def sign_in(self, subject: str, next_path: str | None = None, provider: str | None = None):
        """The whole sign-in through the development identity provider; returns the
        portal's answer to the callback."""
        if provider is None:
            from portal.demo import PERSONAS

            match = [p for p in PERSONAS if p.subject == subject]
            provider = match[0].provider if match else "staff"
        authorize_url = self.start_sign_in(next_path, provider=provider)
        return self.get(self.choose_persona(authorize_url, subject))

    def sign_out(self):
        token = self.csrf_token("/")
        return self.post("/sign-out", data={"csrf_token": token})


def persona(subject: str):
    """The demo persona's record (the `demo_data` fixture seeds them)."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import User

    return db.session.scalar(select(User).where(User.subject == subject))


def seed_every_state() -> None:
    """The demo's opportunities, applications and placements in every state
    (`portal.demo`), with Alex's draft answered in full, so that its check page offers
    to submit it, his offer past its date to answer by, so that the hiring side may
    withdraw it, one of his waiting for Priya (so that he may withdraw it), an e-mail
    the mail worker gave up on and an invitation to a host organisation's contact not
    yet used, for People Services to send again. Needs the personas (the `demo_data` fixture)."""
    from sqlalchemy import select

    from portal.demo.applications import ANSWERS, seed_demo_applications
    from portal.demo.opportunities import seed_demo_opportunities
    from portal.demo.placements import seed_demo_placements
    from portal.extensions import db
    from portal.models import (
        Application,
        HostInvitation,
        Opportunity,
        Organisation,
        OutboxMessage,
    )
    from portal.models.applications import ApplicationStatus
    from portal.models.base import utcnow
    from portal.services import applications as service

    seed_demo_opportunities()
    seed_demo_applications()
    seed_demo_placements()
    alex = persona("staff-alex")
    draft = db.session.scalar(select(Application).where(
        Application.applicant_id == alex.id, Application.status == ApplicationStatus.DRAFT))
    service.save_draft(draft, alex, ANSWERS)
    # Alex's offer is past its date to answer by: the hiring side may withdraw it.
    offer = db.session.scalar(select(Application).where(
        Application.applicant_id == alex.id, Application.status == ApplicationStatus.OFFERED))
    offer.offer_reply_by = utcnow().date() - timedelta(days=1)
    # And one of Alex's still being decided, the stage where he may withdraw it.
    comms = db.session.scalar(select(Opportunity).where(
        Opportunity.title == "Communications officer"))
    pending = service.start_application(alex, comms)
    service.save_draft(pending, alex, ANSWERS)
    service.submit(pending, alex)
    db.session.add(OutboxMessage(idempotency_key="undelivered", template="decision",
                                 recipients="ann@example.org", subject="Decision", body="",
                                 attempts=7, failed_at=utcnow()))
    host = db.session.scalar(select(Organisation).where(Organisation.is_own.is_(False))
                             .order_by(Organisation.name).limit(1))
    db.session.add(HostInvitation(token_hash="0" * 64, organisation_id=host.id,
                                  name="Nell Waiting", email="nell@host.example",
                                  invited_by_id=persona("people-sam").id,
                                  expires_at=utcnow()))
    db.session.commit()


def post_form(client, url: str, data: dict, from_url: str | None = None):
    """Post as the page's form would: its CSRF token and the version it was shown with
    (read from `from_url` when the form lives on another page)."""
    page = client.page(from_url or url)
    data = dict(data)
    data["csrf_token"] = page.soup.find("input", {"name": "csrf_token"})["value"]
    field = page.soup.find("input", {"name": "version"})
    if "version" not in data and field is not None:
        data["version"] = field["value"]
    return client.post(url, data=data)


@contextmanager
def count_queries():
    """The SQL statements run inside the block, whichever connection runs them."""
    from sqlalchemy import event

    from portal.extensions import db

    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
