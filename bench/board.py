"""Time the vacancies board with 10,000 opportunities.

Seeds a scratch database (SQLite by default, or --database-url for PostgreSQL), signs a
member of staff in, and requests the board page through the application (no network)
with and without filters. Prints the median and 95th percentile per case.

    .venv/bin/python bench/board.py [--count 10000] [--requests 50]
        [--database-url postgresql://postgres@127.0.0.1:5432/test]
"""

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import create_app  # noqa: E402
from portal.config import Config  # noqa: E402
from portal.extensions import db  # noqa: E402

CASES = {
    "no filters": "/opportunities",
    "keyword": "/opportunities?q=analyst",
    "kind + part time": "/opportunities?kind=internal&kind=outgoing&part_time=yes",
    "closing within 7 days, newest": "/opportunities?closing=7&sort=newest",
    "page 50": "/opportunities?page=50",
}


def scratch_database(url: str | None):
    if not url:
        path = Path(tempfile.mkdtemp(prefix="portal-bench-")) / "bench.sqlite"
        return f"sqlite:///{path}", None
    base = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"portal_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return base.set(database=name).render_as_string(hide_password=False), drop


def seed(count: int):
    from portal.models import Department, Opportunity, Organisation, User
    from portal.models.base import utcnow
    from portal.services.identity import own_organisation
    from portal.services.opportunities import london_today

    own = own_organisation()
    departments = [Department(organisation=own, name=f"Department {n}") for n in range(20)]
    hosts = [Organisation(name=f"Host organisation {n}") for n in range(30)]
    creator = User(email="creator@example.org", name="Creator", organisation=own)
    db.session.add_all([*departments, *hosts, creator])
    db.session.flush()
    today, now = london_today(), utcnow()
    kinds = ["internal", "outgoing", "incoming", "international", "shorter_term", "informal"]
    words = ["analyst", "officer", "adviser", "lead", "coordinator", "specialist"]
    rows = []
    for n in range(count):
        kind = kinds[n % len(kinds)]
        rows.append(dict(
            title=f"{['Data', 'Policy', 'Finance', 'Planning'][n % 4]} {words[n % 6]} {n}",
            kind=kind, status="published" if n % 10 else "draft",
            audience="all_staff" if n % 17 else "restricted_pool",
            summary="A secondment opportunity used for timing the board.",
            description="", location=["Leeds", "Bakewell", "Remote", "Paris"][n % 4],
            country="France" if n % 4 == 3 else "United Kingdom", grade=f"Band {4 + n % 5}",
            working_pattern="part_time" if n % 3 == 0 else "full_time",
            hours_detail="3 days a week" if n % 3 == 0 else "",
            duration_months=1 + n % 24, duration_reason="", skills_sought="", eligibility="",
            restriction_justification="", publicity_assessment="",
            offering_department_id=departments[n % 20].id if kind != "outgoing" else None,
            host_organisation_id=hosts[n % 30].id if kind in ("outgoing", "incoming") else None,
            closing_date=today + timedelta(days=n % 60 - 5), created_by_id=creator.id,
            published_at=now - timedelta(minutes=n), acting_up=False, extra_cost=False,
            incoming_not_contractor=False, incoming_not_permanent_cover=False,
            created_at=now, version=1))
    db.session.execute(Opportunity.__table__.insert(), rows)
    db.session.commit()
    return creator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    url, drop = scratch_database(args.database_url)
    try:
        config = vars(Config({"PORTAL_ENV": "test", "SECRET_KEY": "bench",
                              "DATABASE_URL": url})) | {"TESTING": True}
        app = create_app(config)
        with app.app_context():
            from flask_migrate import upgrade

            from portal.models import RoleAssignment
            from portal.services.sessions import start_session

            upgrade()
            reader = seed(args.count)
            reader.role_assignments.append(RoleAssignment(role="staff", source="back_office"))
            key = start_session(reader, "staff", None)
            db.session.commit()
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = key
                session["_fresh"] = True
            print(f"{args.count} opportunities on {make_url(url).get_backend_name()}, "
                  f"{args.requests} requests per case")
            print(f"{'case':<32} {'median ms':>10} {'p95 ms':>10}")
            for name, path in CASES.items():
                assert client.get(path).status_code == 200  # warm
                timings = []
                for _ in range(args.requests):
                    start = time.perf_counter()
                    response = client.get(path)
                    timings.append((time.perf_counter() - start) * 1000)
                    assert response.status_code == 200, response.status_code
                timings.sort()
                p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
                print(f"{name:<32} {statistics.median(timings):>10.1f} {p95:>10.1f}")
            db.session.remove()
            db.engine.dispose()
    finally:
        if drop:
            drop()


if __name__ == "__main__":
    main()
