"""The portal's pages against the floor, at a large public body's size, on PostgreSQL.

Seeds a scratch PostgreSQL database with 10,000 opportunities, 20,000 staff and 200,000
applications (one line manager has 2,000 reports), serves the portal and the floor
(bench/floor.py: a bare Flask + Jinja GOV.UK page of the board's size, from memory)
under gunicorn with the same number of workers, and loads each page with wrk in
alternating rounds. Prints each page's throughput as a ratio of the floor's (the median
over the rounds), its median latency, its 95th-percentile latency as a multiple of the
floor's, and its size. Every page is checked first to be
the real page (status 200 and its own content), and a run with any answer that is not
200 fails. Rate limits are off.

    .venv/bin/python bench/pages.py [--seconds 5] [--rounds 3] [--workers 2]
        [--database-url postgresql://postgres@127.0.0.1:5432/test]

wrk comes from Debian's packages (`apt-get install wrk`).
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.board import scratch_database  # noqa: E402
from bench.board import seed as seed_opportunities  # noqa: E402
from portal import create_app  # noqa: E402
from portal.config import Config  # noqa: E402
from portal.extensions import db  # noqa: E402

STAFF = 20_000
APPLICATIONS = 200_000
REPORTS = 2_000


def _rows(table, rows, batch=20_000):
    for start in range(0, len(rows), batch):
        db.session.execute(table.insert(), rows[start:start + batch])


def seed(opportunities: int = 10_000, staff_count: int = STAFF,
         applications: int = APPLICATIONS, reports: int = REPORTS) -> dict:
    """The body at size; returns the ids of the people the pages are read as."""
    from sqlalchemy import select

    from portal.models import Application, Department, Opportunity, RoleAssignment, User
    from portal.models.base import utcnow
    from portal.services.identity import own_organisation

    started = time.perf_counter()
    seed_opportunities(opportunities)
    own = own_organisation()
    departments = db.session.scalars(select(Department.id)).all()
    now = utcnow()
    manager = User(email="manager@example.org", name="Mina Manager", organisation=own,
                   department_id=departments[0])
    officer = User(email="officer@example.org", name="Olu Officer", organisation=own)
    reader = User(email="reader@example.org", name="Rae Reader", organisation=own,
                  department_id=departments[1])
    db.session.add_all([manager, officer, reader])
    db.session.flush()
    for person, roles in ((manager, ("staff", "line_manager")),
                          (officer, ("staff", "people_services")), (reader, ("staff",))):
        for role in roles:
            db.session.add(RoleAssignment(user_id=person.id, role=role, source="back_office"))
    _rows(User.__table__, [dict(
        email=f"person{n}@example.org", name=f"Person {n:05d}", organisation_id=own.id,
        department_id=departments[n % len(departments)], is_enabled=True, session_version=1,
        line_manager_id=manager.id if n < reports else None, created_at=now)
        for n in range(staff_count)])
    staff = db.session.scalars(select(User.id).where(User.email.like("person%"))
                               .order_by(User.id)).all()
    _rows(RoleAssignment.__table__, [dict(user_id=i, role="staff", source="claim",
                                          created_at=now) for i in staff])
    published = db.session.scalars(select(Opportunity.id).where(
        Opportunity.status == "published")).all()
    states = ["submitted", "endorsed", "released", "shortlisted", "refused", "unsuccessful",
              "withdrawn", "offered", "accepted", "declined"]
    # Each person applies at most once to an opportunity: their nth application goes to
    # an opportunity 977 places further along the list than their last.
    _rows(Application.__table__, [dict(
        reference=f"SEC-2026-{n:06d}",
        opportunity_id=published[(n % staff_count * 31 + n // staff_count * 977)
                                 % len(published)],
        applicant_id=staff[n % staff_count], status=states[n % len(states)],
        line_manager_id=manager.id if n % staff_count < reports else None,
        motivation="To learn.", evidence="", learning_objectives="", cover_plan="",
        discussed_with_manager=True, has_conflict=False, conflict_details="",
        assessment_outcome="", offer_terms="", created_at=now - timedelta(minutes=n),
        submitted_at=now - timedelta(minutes=n), updated_at=now, version=1)
        for n in range(applications)])
    db.session.commit()
    # As autovacuum leaves a table in service: statistics, and a visibility map that
    # lets a count read its index alone.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as admin:
        admin.execute(db.text("VACUUM ANALYZE"))
    print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
    return {"manager": manager.id, "officer": officer.id, "reader": reader.id}


def cookies(app, people: dict) -> dict:
    """A signed session cookie for each person, as their browser would hold it."""
    from portal.models import User
    from portal.services.sessions import start_session

    held = {}
    for name, user_id in people.items():
        key = start_session(db.session.get(User, user_id), "staff", None)
        db.session.commit()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = key
            session["_fresh"] = True
        cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
        held[name] = f"{cookie.key}={cookie.value}"
    return held


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(target: str, port: int, workers: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 - a fixed command of this repository
        [str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", target], cwd=ROOT, env=os.environ | env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{target} did not start on port {port}")


def fetch(url: str, cookie: str | None) -> tuple[int, str]:
    request = urllib.request.Request(  # noqa: S310 - the loopback servers started here
        url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - loopback
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, ""


def load(url: str, cookie: str | None, seconds: int) -> tuple[float, float, float]:
    """Requests per second, median and 95th-percentile latency (ms) under wrk, 16
    connections."""
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "-s",
               str(ROOT / "bench/percentiles.lua"), url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True,  # noqa: S603 - wrk
                            check=True).stdout
    if "Non-2xx or 3xx responses" in output:
        raise SystemExit(f"{url} answered something other than 200 under load:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    p50, p95, _count = (int(n) for n in re.search(r"percentiles (\d+) (\d+) (\d+)",
                                                  output).groups())
    return rate, p50 / 1000, p95 / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url",
                        default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")

    url, drop = scratch_database(args.database_url)
    servers = []
    try:
        env = {"PORTAL_ENV": "test", "SECRET_KEY": "bench", "DATABASE_URL": url,
               "RATELIMIT_ENABLED": "false"}
        app = create_app(vars(Config(env)))
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            people = seed()
            held = cookies(app, people)
            db.session.remove()
            db.engine.dispose()
        portal_port, floor_port = free_port(), free_port()
        portal_url = f"http://127.0.0.1:{portal_port}"
        env["PORTAL_URL"] = portal_url
        servers.append(serve("wsgi:app", portal_port, args.workers, env))
        servers.append(serve("bench.floor:app", floor_port, args.workers, {}))
        floor_url = f"http://127.0.0.1:{floor_port}/floor"
        cases = [  # name, path, person, what the real page says
            ("board /opportunities", "/opportunities", "reader", "opportunit"),
            ("board keyword search", "/opportunities?q=analyst", "reader", "analyst"),
            ("board page 50", "/opportunities?page=50", "reader", "Page 50"),
            ("an advert", "/opportunities/12", "reader", "Apply"),  # open, for all staff
            ("home (staff)", "/home", "reader", "Things to do"),
            ("home (manager)", "/home", "manager", "waiting for your decision"),
            ("People Services' applications", "/people-services/applications", "officer",
             "SEC-2026-"),
            ("a manager's decisions (2,000 reports)", "/decisions", "manager",
             "waiting for your decision"),
        ]
        sizes = {}
        for name, path, person, says in cases:
            status, body = fetch(portal_url + path, held[person])
            if status != 200 or says not in body:
                raise SystemExit(f"{name}: not the real page ({status}; '{says}' missing)")
            sizes[name] = len(body.encode())
        results = {name: [] for name, *_ in cases}
        for round_number in range(args.rounds):
            for name, path, person, _says in cases:
                floor_rate, _, floor_p95 = load(floor_url, None, args.seconds)
                rate, p50, p95 = load(portal_url + path, held[person], args.seconds)
                results[name].append((rate / floor_rate, p50, p95 / floor_p95))
            print(f"round {round_number + 1} of {args.rounds} done", flush=True)
        print(f"\n{'page':<40} {'portal/floor':>12} {'p50 ms':>8} {'p95/floor':>10} "
              f"{'size KB':>8}")
        for name, *_ in cases:
            ratio, p50, p95 = (statistics.median(r[i] for r in results[name])
                               for i in range(3))
            print(f"{name:<40} {ratio:>12.2f} {p50:>8.1f} {p95:>10.1f} "
                  f"{sizes[name] / 1024:>8.0f}")
    finally:
        for server in servers:
            server.terminate()
            server.wait()
        if drop:
            drop()


if __name__ == "__main__":
    main()
