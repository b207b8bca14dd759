"""People Services' list of placements at 5,000 placements, on PostgreSQL, through the
application (no network), as bench/growth.py times the other lists.

Seeds a scratch database with 5,000 placements across 50 external organisations and the
organisation's departments, in every state in the proportions of a busy year (a third
proposed, a sixth with legal, a sixth being signed with some signatures, the rest ready,
active or cancelled), each agreement version with its signatures, and 1,000 secondees.
Each page is checked to be the real page first (status 200 and its own content), then
asked for `--requests` times as People Services would: prints each page's median and
95th-percentile time and the number of queries it made.

    .venv/bin/python bench/placements.py [--placements 5000] [--requests 50]
        [--database-url postgresql://postgres@127.0.0.1:5432/test]
"""

import argparse
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import event, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.board import scratch_database  # noqa: E402
from bench.pages import _rows, cookies  # noqa: E402
from portal import create_app  # noqa: E402
from portal.config import Config  # noqa: E402
from portal.extensions import db  # noqa: E402

PAGES = [  # name, path, what the real page (or file) says
    ("the list, first page", "/placements", "placements"),
    ("the list, page 100", "/placements?page=100", "placements"),
    ("being signed (a sixth)", "/placements?status=signing", "sign the agreement"),
    ("one organisation, starting within 90 days",
     "/placements?organisation={organisation}&starting_within=90", "placements"),
    ("the CSV export, every placement", "/placements/export.csv", "Waiting on"),
]
# (status, share in a thousand, the agreement's status, the parties who signed)
STATES = [("proposed", 330, None, ()), ("with_board", 20, None, ()),
          ("with_legal", 170, "with_legal", ()),
          ("signing", 170, "ratified", ("secondee",)),
          ("ready", 80, "executed", ("secondee", "own", "partner")),
          ("active", 180, "executed", ("secondee", "own", "partner")),
          ("cancelled", 50, None, ())]


def seed(count: int) -> dict:
    """`count` placements and what they name; returns the officer's id and an
    organisation's."""
    from portal.models import Department, Organisation, RoleAssignment, User
    from portal.models.base import utcnow
    from portal.models.documents import IssuedDocument
    from portal.models.placements import AgreementSignature, AgreementVersion, Placement
    from portal.services.identity import own_organisation

    started = time.perf_counter()
    own = own_organisation()
    now, today = utcnow(), date.today()
    departments = []
    for name in ("Planning and Environment", "Finance", "People Services", "Legal Services",
                 "Digital and Data", "Highways", "Housing", "Waste", "Libraries", "Parks"):
        department = Department(organisation=own, name=name)
        db.session.add(department)
        departments.append(department)
    partners = [Organisation(name=f"Partner body {n:02d}", is_own=False) for n in range(50)]
    db.session.add_all(partners)
    officer = User(email="officer@example.org", name="Olu Officer", organisation=own)
    manager = User(email="manager@example.org", name="Mina Manager", organisation=own)
    db.session.add_all([officer, manager])
    db.session.flush()
    for role in ("staff", "people_services"):
        db.session.add(RoleAssignment(user_id=officer.id, role=role, source="back_office"))
    _rows(User.__table__, [dict(
        email=f"secondee{n}@example.org", name=f"Secondee {n:04d}", organisation_id=own.id,
        department_id=departments[n % 10].id, is_enabled=True, session_version=1,
        line_manager_id=manager.id, created_at=now) for n in range(max(count // 5, 1))])
    secondees = db.session.scalars(select(User.id).where(
        User.email.like("secondee%")).order_by(User.id)).all()
    statuses = [status for status, share, *_ in STATES for _ in range(share)]
    rows = []
    for n in range(count):
        start = today + timedelta(days=(n * 7) % 400 - 100)
        partner = partners[n % 50]
        rows.append(dict(
            status=statuses[(n * 389) % len(statuses)], kind="outgoing", route="direct",
            title=f"Placement {n:05d}", secondee_id=secondees[n % len(secondees)],
            secondee_name="", secondee_email="", home_organisation_id=own.id,
            home_department_id=departments[n % 10].id, host_organisation_id=partner.id,
            start_date=start, end_date=start + timedelta(days=180),
            substantive_manager_id=manager.id, signatory_id=officer.id,
            created_by_id=officer.id, created_at=now, updated_at=now))
    _rows(Placement.__table__, rows)
    document = IssuedDocument(kind="agreement", html="<p>Agreement</p>", text="Agreement",
                              sha256="0" * 64)
    db.session.add(document)
    db.session.flush()
    agreement_of = {status: (agreement, signed) for status, _, agreement, signed in STATES}
    placed = db.session.execute(select(Placement.id, Placement.status)).all()
    _rows(AgreementVersion.__table__, [dict(
        placement_id=pid, number=1, status=agreement_of[status][0],
        document_id=document.id, pdf=b"%PDF-1.7 bench", pdf_sha256="1" * 64,
        sent_by_id=officer.id, sent_at=now) for pid, status in placed
        if agreement_of[status][0]])
    versions = db.session.execute(select(AgreementVersion.id, Placement.status).join(
        Placement, Placement.id == AgreementVersion.placement_id)).all()
    _rows(AgreementSignature.__table__, [dict(
        agreement_id=vid, party=party, signer_id=officer.id, signer_name="Olu Officer",
        issuer="bench", sha256="1" * 64, signed_at=now)
        for vid, status in versions for party in agreement_of[status][1]])
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as admin:
        admin.execute(db.text("VACUUM ANALYZE"))
    print(f"seeded {count:,} placements in {time.perf_counter() - started:.0f} s", flush=True)
    return {"officer": officer.id, "organisation": partners[7].id}


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--placements", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url",
                        default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    url, drop = scratch_database(args.database_url)
    try:
        env = {"PORTAL_ENV": "test", "SECRET_KEY": "bench", "DATABASE_URL": url,
               "RATELIMIT_ENABLED": "false"}
        app = create_app(vars(Config(env)))
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            ids = seed(args.placements)
            held = cookies(app, {"officer": ids["officer"]})
            queries = []
            event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(1))
        client = app.test_client()
        key, value = held["officer"].split("=", 1)
        client.set_cookie(key, value)
        print(f"\n{'page':<46}{'median':>10}{'p95':>10}{'queries':>9}{'size':>10}")
        for name, path, says in PAGES:
            path = path.format(organisation=ids["organisation"])
            answer = client.get(path, buffered=True)
            body = answer.get_data(as_text=True)
            if answer.status_code != 200 or says not in body:
                raise SystemExit(f"{name}: not the real page ({answer.status_code}; "
                                 f"'{says}' missing)")
            times = []
            for _ in range(args.requests):
                queries.clear()
                started = time.perf_counter()
                client.get(path, buffered=True).get_data()
                times.append((time.perf_counter() - started) * 1000)
            print(f"{name:<46}{statistics.median(times):>7.1f} ms{percentile(times, 0.95):>7.1f}"
                  f" ms{len(queries):>9}{len(body.encode()) // 1024:>7} KB", flush=True)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        if drop:
            drop()


if __name__ == "__main__":
    main()
