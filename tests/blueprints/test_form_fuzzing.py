"""Hostile values posted to every form the portal has, and hostile query strings sent to
every page, as each persona finds them by following links from home.

The forms are found by crawling, then checked against the URL map: every route that
takes a POST and is switched on must have been found on some page, so a new form
cannot escape. Hypothesis draws the values: NUL and other control characters, 100,000
characters, numbers past 64 bits, impossible dates, fields missing or sent thirty
times. Every answer must be below 500, and an answer that refuses (a 4xx, or the form
shown again with its errors) must leave every record as it was: nothing half-saved. The point of
this is PostgreSQL, which refuses what SQLite lets through; the suite runs it on both.
"""

import functools
import hashlib
from collections import Counter, defaultdict
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from portal.extensions import db
from tests.helpers import persona, seed_every_state

PERSONAS = ("people-sam", "staff-alex", "manager-priya", "head-david", "board-george",
            "admin-jo", "legal-ruth", "host-maria")

# POST routes that are not fuzzed here, each with the reason and where it is tested.
NOT_FUZZED = {
    # Ends the session the crawl runs in; a form with nothing but its CSRF token
    # (tests/blueprints/test_auth.py posts it with and without one).
    "auth.sign_out",
    # Ends a host contact's access, the crawl's own contact (Maria) among those listed;
    # a form with nothing but its CSRF token (tests/blueprints/test_host_contacts.py
    # posts it for the right person and the wrong one).
    "people_services.revoke_host_contact",
    # Applies an HR export that only an upload makes (the crawl uploads none); a form of
    # its CSRF token and a hidden fingerprint (tests/blueprints/test_staff_import_page.py
    # posts it missing, empty, wrong, hostile and right, and right twice).
    "people_services.check_staff_import",
}

# Pages without a form to fill: following them adds nothing but time.
SKIPPED_PATHS = ("/sign-out", "/sign-in", "/assets/", "/auth/")
SKIPPED_ENDINGS = (".atom", ".json", ".ics", ".pdf", ".csv")
# The same page shape for another record adds little: a few of each are enough.
PAGES_PER_ENDPOINT = 6
PAGES_PER_PERSONA = 250
EXAMPLES_PER_FORM = 8

TOO_BIG = "9223372036854775808"
HOSTILE = [
    "\x00", "plan\x00ning", "\x07\x1b[31m", "a\r\nb", "x" * 100_000, "9" * 40, TOO_BIG,
    "-1", "0", "", " ", "<script>alert(1)</script>", '"><svg onload=alert(1)>', "{{7*7}}",
    "\u202egnp.exe", "\U0001d518\U0001d52b", "31", "13", "2", "0029", "29 02 2031", "null",
    "__None", "[]",
]
MISSING = object()


# --- finding the forms ----------------------------------------------------------------

@functools.cache
def _matcher(app):
    return app.url_map.bind("localhost")


@functools.cache
def endpoint_of(app, url: str, method: str = "GET") -> str | None:
    parts = urlsplit(url)
    adapter = _matcher(app)
    try:
        endpoint, _ = adapter.match(parts.path, method=method, query_args=parts.query)
    except RequestRedirect as redirect:
        return endpoint_of(app, redirect.new_url, method)
    except HTTPException:
        return None
    return endpoint


@functools.cache
def record_of(app, url: str) -> tuple:
    """The ids a page's path names, whatever else it names (a section, an action)."""
    try:
        _, args = _matcher(app).match(urlsplit(url).path, method="GET")
    except (HTTPException, RequestRedirect):
        return ()
    return tuple(sorted((k, v) for k, v in args.items() if isinstance(v, int)))


def _same_site(base: str, href: str) -> str | None:
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "") or parts.netloc not in ("localhost", ""):
        return None
    if parts.path.startswith(SKIPPED_PATHS) or parts.path.endswith(SKIPPED_ENDINGS):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _fields(form) -> dict[str, list[str]]:
    """Each field's name and the values the page itself offers for it."""
    fields: dict[str, list[str]] = defaultdict(list)
    for element in form.find_all(["input", "select", "textarea", "button"]):
        name = element.get("name")
        if not name:
            continue
        if element.name == "select":
            fields[name] += [o.get("value", o.get_text()) for o in element.find_all("option")]
        elif element.name == "textarea":
            fields[name].append(element.get_text())
        else:
            fields[name].append(element.get("value", ""))
    return dict(fields)


class Crawl:
    """What one persona finds by following links: pages (endpoint -> urls), forms that
    post (endpoint -> [(page, action, fields)]), and the query parameters links and
    search forms use."""

    def __init__(self, app, client):
        self.app, self.client = app, client
        self.pages: dict[str, list[str]] = defaultdict(list)
        self.forms: dict[str, list[tuple[str, str, dict]]] = defaultdict(list)
        # endpoint -> the query parameters its links and search forms use
        self.query_names: dict[str, set[str]] = defaultdict(set)
        self.server_errors: list[str] = []

    def run(self, start: list[str], records: list[str]):
        """Visit every page of `records`, then follow links from `start` and from what
        was found, always to a page of the kind visited least. Once a page of a record
        turns the persona away, its sibling pages for that record are not tried (every
        section of a published opportunity's edit pages, say)."""
        queue = list(start)
        for url in records:
            queue += self._visit(url) or []
        seen, shown, refused = set(records), Counter(), set()
        while queue and sum(shown.values()) < PAGES_PER_PERSONA:
            queue.sort(key=lambda url: shown[endpoint_of(self.app, url)])
            url = queue.pop(0)
            endpoint, record = endpoint_of(self.app, url), record_of(self.app, url)
            if (url in seen or endpoint is None or shown[endpoint] >= PAGES_PER_ENDPOINT
                    or (endpoint, record) in refused):
                continue
            seen.add(url)
            links = self._visit(url)
            if links is None:
                refused.add((endpoint, record))
                continue
            shown[endpoint] += 1
            queue += links
        return self

    def _visit(self, url) -> list[str] | None:
        """The page's links, or None when it is not a page shown to this persona."""
        answer = self.client.get(url)
        if answer.status_code >= 500:
            self.server_errors.append(f"GET {url}: {answer.status_code}")
        if answer.status_code != 200 or answer.mimetype != "text/html":
            return None
        self.pages[endpoint_of(self.app, url)].append(url)
        return self._read(url, BeautifulSoup(answer.get_data(as_text=True), "html.parser"))

    def _read(self, url, soup) -> list[str]:
        links = []
        for a in soup.find_all("a", href=True):
            target = _same_site(url, a["href"].split("#")[0])
            if target:
                links.append(target)
                self.query_names[endpoint_of(self.app, target)] |= {
                    name for name, _ in parse_qsl(urlsplit(target).query)}
        for form in soup.find_all("form"):
            action = _same_site(url, form.get("action") or url)
            if action is None:
                continue
            if form.get("method", "get").lower() != "post":
                self.query_names[endpoint_of(self.app, action)] |= set(_fields(form))
                continue
            endpoint = endpoint_of(self.app, action, "POST")
            if endpoint:
                self.forms[endpoint].append((url, action, _fields(form)))
        return links


def record_pages(app, person) -> list[str]:
    """Every GET route of the URL map that names a record, for one record in each state
    (and the opportunity of one application in each state): forms that depend on a
    state, such as an offer to answer or a shortlist to fix, are found that way even
    when no link leads there (the equality questions follow a submission). People
    Services see every case; anyone else starts from their own applications and the
    opportunities they created."""
    from portal.models import Application, ConflictDeclaration, Opportunity
    from portal.permissions import Permission, can

    everything = can(person, Permission.VIEW_ALL_APPLICATIONS)
    query = select(Application.id, Application.opportunity_id, Application.status)
    if not everything:
        query = query.where(Application.applicant_id == person.id)
    applications = {status: (a, o) for a, o, status in db.session.execute(query).all()}
    query = select(Opportunity.id, Opportunity.status)
    if not everything:
        query = query.where(Opportunity.created_by_id == person.id)
    opportunities = {status: id_ for id_, status in db.session.execute(query).all()}
    values = [{"opportunity_id": id_} for id_ in opportunities.values()]
    values += [{"application_id": a, "opportunity_id": o} for a, o in applications.values()]
    if everything:
        values += [{"declaration_id": id_} for id_ in
                   db.session.scalars(select(ConflictDeclaration.id).limit(2))]

    adapter = app.url_map.bind("localhost")
    urls = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.arguments:
            continue
        for given_values in values:
            if rule.arguments <= set(given_values):
                urls.add(adapter.build(rule.endpoint, {
                    name: given_values[name] for name in rule.arguments}))
    return sorted(urls)


@pytest.fixture
def crawls(app, demo_data):
    seed_every_state()
    found = {}
    for subject in PERSONAS:
        client = app.test_client()
        client.sign_in(subject)
        found[subject] = (client, Crawl(app, client).run(
            ["/home", "/back-office/"], record_pages(app, persona(subject))))
    return found


def post_routes_switched_on(app) -> set[str]:
    """Every POST route of the URL map, less the back-office routes a view has switched
    off (they answer 403 to everyone: no form can use them)."""
    admin = app.extensions["admin"][0]
    views = {view.endpoint: view for view in admin._views}
    routes = set()
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in NOT_FUZZED:
            continue
        prefix, _, name = rule.endpoint.partition(".")
        view = views.get(prefix)
        if view is not None and hasattr(view, "_route_allowed"):
            if not view._route_allowed(name):
                continue
        routes.add(rule.endpoint)
    return routes


# --- what must hold -------------------------------------------------------------------

EXCLUDED_FROM_SNAPSHOT = {"audit_events", "user_sessions", "alembic_version"}


def snapshot() -> str:
    """Every record the portal keeps, bar the audit trail and sessions (a refused
    request is audited, and every request touches its session)."""
    digest = hashlib.sha256()
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table.name in EXCLUDED_FROM_SNAPSHOT:
                continue
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest.update(f"{table.name}:{rows!r}".encode())
    return digest.hexdigest()


def refused(answer) -> bool:
    """A refusal (4xx) or the form shown again with its errors; a redirect or a
    confirmation page means the action was taken."""
    return answer.status_code >= 400 or (
        answer.status_code == 200 and b"govuk-error-summary" in answer.data)


def hostile_value(offered: list[str]):
    single = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20),
                       *([st.sampled_from(offered)] if any(offered) else []))
    return st.one_of(st.just(MISSING), single, st.lists(single, min_size=2, max_size=30))


def test_hostile_input_everywhere_gives_no_server_error_and_saves_nothing(app, crawls):
    """One crawl per persona (it is the costly part) serves every check."""
    found = set().union(*(set(crawl.forms) for _, crawl in crawls.values()))
    assert post_routes_switched_on(app) - found == set(), "forms no crawl found"
    assert [e for _, crawl in crawls.values() for e in crawl.server_errors] == []

    failures = []
    for subject, (client, crawl) in crawls.items():
        token = client.csrf_token("/home")
        for endpoint, forms in sorted(crawl.forms.items()):
            if endpoint not in NOT_FUZZED:
                page, action, fields = forms[0]
                failures += _fuzz(client, token, subject, page, action, fields)
    assert not failures, "\n".join(failures)

    assert [f for subject, (client, crawl) in crawls.items()
            for f in _hostile_queries(client, subject, crawl)] == []


def _fuzz(client, token, subject, page, action, fields) -> list[str]:
    failures = []
    names = [n for n in fields if n != "csrf_token"]

    @settings(max_examples=EXAMPLES_PER_FORM, deadline=None, database=None,
              derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries({name: hostile_value(fields[name]) for name in names}))
    def post_hostile(values):
        data = [("csrf_token", token)]
        for name, value in values.items():
            if value is MISSING:
                continue
            data += [(name, v) for v in (value if isinstance(value, list) else [value])]
        before = snapshot()
        answer = client.post(action, data=MultiDict(data))
        status = answer.status_code
        if status >= 500:
            failures.append(f"{subject} POST {action} (from {page}): {status} with "
                            f"{[(n, v[:40]) for n, v in data]}")
        elif refused(answer) and snapshot() != before:
            failures.append(f"{subject} POST {action}: {status} refused, but records "
                            f"changed, with {[(n, v[:40]) for n, v in data]}")

    post_hostile()
    return failures


def _hostile_queries(client, subject, crawl) -> list[str]:
    """Each query parameter a page's links and search forms use, given a NUL byte and a
    number past 64 bits on its own (so that one refusal cannot hide another), then all
    of them at once, 5,000 characters long, and sent thirty times."""
    failures = []
    for endpoint, urls in crawl.pages.items():
        if not urls:
            continue
        base = urls[0].split("?")[0]
        names = sorted(crawl.query_names[endpoint] | {"page"})
        queries = [[(name, value)] for name in names for value in ("a\x00b", TOO_BIG)]
        queries += [[(name, "x" * 5_000) for name in names],
                    [(name, "1") for name in names for _ in range(30)]]
        for query in queries:
            answer = client.get(f"{base}?{urlencode(query)}")
            if answer.status_code >= 500:
                failures.append(f"{subject} GET {base} with {query[0][0]}="
                                f"{query[0][1][:20]!r}: {answer.status_code}")
    return failures
