"""People Services' dashboard of open onboarding checklists (R9) and its CSV export at
5,000 placements and 150,000 checklist items, on PostgreSQL, through the application (no
network), as bench/placements.py times the list of placements.

Seeds a scratch database in bulk (multi-row inserts, not the ORM one by one) with live
placements of every kind (outgoing, incoming, internal, international, shorter-term,
informal) in every live state, starting from 100 days ago to 300 days ahead, each with 30
checklist items: every status (those due in the past mostly done, some overdue), three
blocking the start, and owners of every type (People Services, IT, the secondee, the host
and substantive managers, the host organisation's contact, a named person). One in twenty
checklists is finished (and so off the dashboard).

It seeds and measures at each size of `--sizes` in turn (adding placements to the same
database), so the number of queries each page makes is seen at two sizes, and the CSV's
memory at 15,000 items against 150,000. Each page is checked to be the real page first
(status 200 and its own content), then asked for `--requests` times (the CSV
`--csv-requests` times, read chunk by chunk and discarded) as People Services would:
prints each page's median and 95th-percentile time, the number of queries it made and
its size. Each person's own tasks are timed too, as People Services (who own a seventh
of every item by role), a manager and a secondee. The CSV is then streamed once more
while measuring the process's memory: the peak of Python's allocations (tracemalloc) and
the growth of its resident set (read from /proc after every chunk) over what it was
before the request.

    .venv/bin/python bench/onboarding.py [--sizes 500,5000] [--requests 50]
        [--csv-requests 5] [--database-url postgresql://postgres@127.0.0.1:5432/test]
"""

import argparse
import os
import re
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import event, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.board import scratch_database  # noqa: E402
from bench.pages import _rows, cookies  # noqa: E402
from bench.placements import percentile  # noqa: E402
from portal import create_app  # noqa: E402
from portal.config import Config  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import User  # noqa: E402
from portal.services import sessions  # noqa: E402
from portal.services.onboarding.listing import CHECKLISTS_PER_PAGE  # noqa: E402

ITEMS_PER_PLACEMENT = 30
# The dashboard's table of checklists (not "No open checklists match" or "No more
# checklists"), and a placement in it.
TABLE = ("open checklists</caption>", ">Placement ")
# A person's tasks: the table of them (not "No onboarding items are waiting"), and one.
TASKS = ("Your onboarding tasks", "govuk-table__caption", ": Placement ")
PAGES = [  # name, path, what the real page (or file) says, who asks
    ("the dashboard, first page", "/people-services/checklists", TABLE, "officer"),
    # Page 100 at 5,000 placements; the last page at a size without 100 pages.
    ("the dashboard, page 100", "/people-services/checklists?page={page}", TABLE,
     "officer"),
    ("one owner (the host manager)", "/people-services/checklists?owner=host_manager",
     TABLE, "officer"),
    ("one kind (incoming)", "/people-services/checklists?kind=incoming", TABLE, "officer"),
    ("starting within 30 days", "/people-services/checklists?starts_within=30", TABLE,
     "officer"),
    # Each person's own tasks: People Services own a seventh of every item by role; a
    # manager manages one placement in fifty; a secondee is on a few.
    ("People Services' own tasks", "/onboarding/your-tasks", TASKS, "officer"),
    ("a manager's own tasks", "/onboarding/your-tasks", TASKS, "manager"),
    ("a secondee's own tasks", "/onboarding/your-tasks", TASKS, "secondee"),
]
CSV = ("the CSV export, every item", "/people-services/checklists.csv",
       ("Secondee,Placement",), "officer")
LIVE = ["proposed", "with_board", "with_legal", "signing", "ready", "active"]
# (kind, share in a hundred, the template version its items come from: as the migration
# installs them, 1 incoming, 2 outgoing, 3 internal, 4 informal)
KINDS = [("outgoing", 35, 2), ("incoming", 20, 1), ("internal", 25, 3),
         ("international", 8, 2), ("shorter_term", 7, 3), ("informal", 5, 4)]
OWNERS = ["people_services", "it", "secondee", "host_manager", "substantive_manager",
          "host_contact", "person"]
# Working days from the start, by position: 18 before the start, 7 in the first week,
# 5 in the first month.
OFFSETS = [-30 + n for n in range(0, 36, 2)] + [1, 1, 2, 2, 3, 4, 5] + [6, 8, 10, 15, 20]
PHASES = ["before_start"] * 18 + ["first_week"] * 7 + ["first_month"] * 5
TITLES = ["Right to work check", "Security vetting", "Laptop and accounts", "Building pass",
          "Induction booked", "Welcome from the host manager", "Objectives agreed",
          "Health and safety briefing", "Payroll informed", "Pension notified",
          "Expenses explained", "Data protection training", "Buddy named",
          "Return arrangements noted", "Emergency contacts", "Equipment asset tag"]


def seed_people() -> dict:
    """The organisation, its departments, 50 partners, People Services' officer and the
    managers; returns what the placements name."""
    from portal.models import Department, Organisation, RoleAssignment, User
    from portal.services.identity import own_organisation

    own = own_organisation()
    departments = [Department(organisation=own, name=name) for name in (
        "Planning and Environment", "Finance", "People Services", "Legal Services",
        "Digital and Data", "Highways", "Housing", "Waste", "Libraries", "Parks")]
    partners = [Organisation(name=f"Partner body {n:02d}", is_own=False) for n in range(50)]
    officer = User(email="officer@example.org", name="Olu Officer", organisation=own)
    db.session.add_all([*departments, *partners, officer])
    db.session.flush()
    for role in ("staff", "people_services"):
        db.session.add(RoleAssignment(user_id=officer.id, role=role, source="back_office"))
    managers = [User(email=f"manager{n}@example.org", name=f"Manager {n:03d}",
                     organisation=own, department_id=departments[n % 10].id)
                for n in range(100)]
    db.session.add_all(managers)
    db.session.commit()
    return {"own": own.id, "officer": officer.id, "departments": [d.id for d in departments],
            "partners": [p.id for p in partners], "managers": [m.id for m in managers]}


def seed_placements(ids: dict, first: int, last: int) -> None:
    """Placements `first` to `last` - 1 and their checklists."""
    from portal.models.base import utcnow
    from portal.models.onboarding import ChecklistItem
    from portal.models.placements import Placement

    now, today = utcnow(), date.today()
    own, departments, partners, managers = (ids["own"], ids["departments"], ids["partners"],
                                            ids["managers"])
    _rows(User.__table__, [dict(
        email=f"secondee{n}@example.org", name=f"Secondee {n:05d}", organisation_id=own,
        department_id=departments[n % 10], is_enabled=True, session_version=1,
        line_manager_id=managers[n % 100], created_at=now)
        for n in range(first // 5, last // 5)])
    secondees = dict(db.session.execute(select(User.email, User.id).where(
        User.email.like("secondee%"))).all())
    kinds = [(kind, version) for kind, share, version in KINDS for _ in range(share)]
    rows, versions = [], {}
    for n in range(first, last):
        kind, version = kinds[(n * 37) % len(kinds)]
        start = today + timedelta(days=(n * 7) % 400 - 100)
        partner = partners[n % 50]
        home, host = own, partner
        host_department = None
        if kind == "incoming":
            home, host, host_department = partner, own, departments[(n + 3) % 10]
        elif kind in ("internal", "shorter_term", "informal"):
            host, host_department = own, departments[(n + 3) % 10]
        secondee = secondees[f"secondee{n // 5}@example.org"]
        rows.append(dict(
            status=LIVE[(n * 13) % len(LIVE)], kind=kind, route="direct",
            title=f"Placement {n:05d}",
            secondee_id=None if kind == "incoming" else secondee,
            secondee_name=f"Incoming secondee {n:05d}" if kind == "incoming" else "",
            secondee_email=f"incoming{n}@partner.example" if kind == "incoming" else "",
            home_organisation_id=home,
            home_department_id=departments[n % 10] if home == own else None,
            host_organisation_id=host, host_department_id=host_department,
            start_date=start, end_date=start + timedelta(days=180),
            country="France" if kind == "international" else "United Kingdom",
            substantive_manager_id=None if kind == "incoming" else managers[n % 100],
            host_manager_id=None if n % 4 == 0 else managers[(n + 50) % 100],
            signatory_id=ids["officer"], created_by_id=ids["officer"],
            created_at=now, updated_at=now))
        versions[f"Placement {n:05d}"] = version
    _rows(Placement.__table__, rows)
    placed = db.session.execute(select(Placement.id, Placement.title, Placement.start_date)
                                .where(Placement.id > ids.get("last_placement", 0))).all()
    ids["last_placement"] = max(pid for pid, *_ in placed)
    items = []
    for pid, title, start in placed:
        finished = pid % 20 == 0
        for position in range(1, ITEMS_PER_PLACEMENT + 1):
            offset = OFFSETS[position - 1]
            due = start + timedelta(days=offset * 7 // 5)
            spin = (pid * 31 + position * 17) % 100
            if finished:
                status = "done" if spin < 85 else "not_applicable"
            elif due < today:  # mostly done; the rest overdue
                status = ("done" if spin < 70 else "not_applicable" if spin < 75
                          else "in_progress" if spin < 85 else "cannot_start" if spin < 90
                          else "not_started")
            else:
                status = ("not_started" if spin < 50 else "in_progress" if spin < 70
                          else "cannot_start" if spin < 80 else "done" if spin < 95
                          else "not_applicable")
            owner = OWNERS[(position + pid) % len(OWNERS)]
            done = status == "done"
            items.append(dict(
                placement_id=pid, template_version_id=versions[title], position=position,
                title=f"{TITLES[position % len(TITLES)]} ({position})", guidance="",
                owner_type=owner,
                owner_person_id=managers[(pid + position) % 100] if owner == "person"
                else None,
                offset_days=offset, due_date=due, phase=PHASES[position - 1],
                blocking=position <= 3, records="date" if position % 5 == 0 else "",
                record_label="", status=status,
                recorded_date=due if done and position % 5 == 0 else None,
                recorded_reference=f"ASSET-{pid}" if done and position % 7 == 0 else "",
                reason="Waiting for the vetting office" if status == "cannot_start"
                else "Not needed for this placement" if status == "not_applicable" else "",
                note="", completed_by_id=ids["officer"] if done else None,
                completed_at=now if done else None, updated_at=now, version=1))
    _rows(ChecklistItem.__table__, items)
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as admin:
        admin.execute(db.text("VACUUM ANALYZE"))


def resident_kb() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def stream(client, path: str, watch=None) -> tuple[int, str]:
    """Read the CSV chunk by chunk, discarding it, as a browser saving it would; returns
    its size and its first chunk (the heading)."""
    answer = client.get(path)
    if answer.status_code != 200:
        raise SystemExit(f"{path}: {answer.status_code}")
    size, first = 0, None
    try:
        for chunk in answer.response:
            if first is None:
                first = chunk.decode() if isinstance(chunk, bytes) else chunk
            size += len(chunk)
            if watch:
                watch()
    finally:
        answer.close()
    return size, first or ""


def memory(client, path: str) -> tuple[float, float]:
    """The peak of Python's allocations and of the resident set's growth while streaming
    `path`, in MB."""
    import gc

    gc.collect()
    before = resident_kb()
    peak = [before]
    tracemalloc.start()
    tracemalloc.reset_peak()
    stream(client, path, lambda: peak.__setitem__(0, max(peak[0], resident_kb())))
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return traced / 2**20, (peak[0] - before) / 1024


def measure(clients: dict, queries: list, size: int, items: int, requests: int,
            csv_requests: int) -> dict:
    found = {}
    first_page = clients["officer"].get(PAGES[0][1]).get_data(as_text=True)
    total = int(re.search(r"(\d+) open checklists</caption>", first_page)[1])
    page = min(100, -(-total // CHECKLISTS_PER_PAGE))
    print(f"\n{size:,} placements, {items:,} checklist items, {total:,} open checklists "
          f"(load average {os.getloadavg()[0]:.1f})")
    print(f"{'page':<38}{'median':>10}{'p95':>10}{'queries':>9}{'size':>10}")
    for name, path, says, who in [*PAGES, CSV]:
        path, client = path.format(page=page), clients[who]
        is_csv = path.endswith(".csv")
        if is_csv:
            length, first = stream(client, path)
            if not first.startswith(says[0]):
                raise SystemExit(f"{name}: not the real file ('{says[0]}' missing)")
        else:
            answer = client.get(path, buffered=True)
            body = answer.get_data(as_text=True)
            missing = [said for said in says if said not in body]
            if answer.status_code != 200 or missing:
                raise SystemExit(f"{name}: not the real page ({answer.status_code}; "
                                 f"{missing} missing)")
            length = len(body.encode())
        times, counts = [], set()
        for _ in range(csv_requests if is_csv else requests):
            queries.clear()
            started = time.perf_counter()
            if is_csv:
                stream(client, path)
            else:
                client.get(path, buffered=True).get_data()
            times.append((time.perf_counter() - started) * 1000)
            counts.add(len(queries))
        name_shown = name if page == 100 else name.replace("page 100", f"page {page}, the last")
        median, p95 = statistics.median(times), percentile(times, 0.95)
        shown = (f"{median / 1000:>8.2f} s{p95 / 1000:>8.2f} s" if is_csv
                 else f"{median:>7.1f} ms{p95:>7.1f} ms")
        print(f"{name_shown:<38}{shown}{'/'.join(map(str, sorted(counts))):>9}"
              f"{length // 1024:>7} KB", flush=True)
        found[name] = (median, p95, sorted(counts), length)
    traced, resident = memory(clients["officer"], CSV[1])
    print(f"{'the CSV, memory while streaming':<38}{traced:>7.1f} MB Python peak, "
          f"{resident:.1f} MB resident growth", flush=True)
    found["memory"] = (traced, resident)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,5000",
                        help="numbers of placements, measured in turn")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--csv-requests", type=int, default=5)
    parser.add_argument("--database-url",
                        default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--keep", action="store_true",
                        help="keep the scratch database (to EXPLAIN its queries)")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    url, drop = scratch_database(args.database_url)
    results = {}
    try:
        env = {"PORTAL_ENV": "test", "SECRET_KEY": "bench", "DATABASE_URL": url,
               "RATELIMIT_ENABLED": "false"}
        app = create_app(vars(Config(env)))
        # A session's last_seen_at is written at most once a minute; the write (two
        # queries) would fall into whichever request came next, and is no page's own.
        sessions.LAST_SEEN_GRANULARITY = timedelta(days=1)
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            ids = seed_people()
            queries = []
            event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(1))
        clients = {}
        seeded = 0
        for size in sizes:
            started = time.perf_counter()
            with app.app_context():
                seed_placements(ids, seeded, size)
                db.session.remove()
            if not clients:  # the secondee is seeded with the first placements
                with app.app_context():
                    from portal.models import RoleAssignment

                    secondee = db.session.scalar(select(User.id).where(
                        User.email == "secondee0@example.org"))
                    for person in (secondee, ids["managers"][0]):  # as signing in gives
                        db.session.add(RoleAssignment(user_id=person, role="staff",
                                                      source="back_office"))
                    held = cookies(app, {"officer": ids["officer"], "secondee": secondee,
                                         "manager": ids["managers"][0]})
                for who, cookie in held.items():
                    clients[who] = app.test_client()
                    clients[who].set_cookie(*cookie.split("=", 1))
            seeded = size
            items = size * ITEMS_PER_PLACEMENT
            print(f"seeded up to {size:,} placements and {items:,} items in "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
            results[size] = measure(clients, queries, size, items, args.requests,
                                    args.csv_requests)
        if len(sizes) > 1:
            small, large = results[sizes[0]], results[sizes[-1]]
            print(f"\nqueries, {sizes[0]:,} against {sizes[-1]:,} placements:")
            for name, *_ in [*PAGES, CSV]:
                same = "the same" if small[name][2] == large[name][2] else "DIFFERENT"
                print(f"  {name:<38}{small[name][2]} / {large[name][2]}: {same}")
            print(f"the CSV's memory, {sizes[0] * ITEMS_PER_PLACEMENT:,} against "
                  f"{sizes[-1] * ITEMS_PER_PLACEMENT:,} items: Python peak "
                  f"{small['memory'][0]:.1f} / {large['memory'][0]:.1f} MB, resident growth "
                  f"{small['memory'][1]:.1f} / {large['memory'][1]:.1f} MB "
                  f"(the file {small[CSV[0]][3] // 1024:,} / {large[CSV[0]][3] // 1024:,} KB)")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        if drop and not args.keep:
            drop()
        elif drop:
            print(f"kept {url}")


if __name__ == "__main__":
    main()
