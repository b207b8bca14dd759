"""How each list page grows with the data: the same pages at 1,000, 10,000 and 100,000
rows, on PostgreSQL, through the application (no network).

At each size a scratch database gets that many opportunities and applications, a tenth
as many staff, and a line manager whose reports hold a tenth of the applications. Every
page is asked for as its reader would see it; prints each page's median time over the
requests, the number of queries it made, and its growth from the smallest size to the
largest (the target is under 2x, with the same number of queries at every size).

    .venv/bin/python bench/growth.py [--sizes 1000 10000 100000] [--requests 20]
        [--database-url postgresql://postgres@127.0.0.1:5432/test]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.board import scratch_database  # noqa: E402
from bench.pages import cookies, seed  # noqa: E402
from portal import create_app  # noqa: E402
from portal.config import Config  # noqa: E402
from portal.extensions import db  # noqa: E402

PAGES = [  # name, path, reader, what the real page says
    ("board", "/opportunities", "reader", "opportunit"),
    ("board keyword search", "/opportunities?q=analyst", "reader", "analyst"),
    ("board, last page but one", "/opportunities?page={last}", "reader", "Page"),
    ("home (staff)", "/home", "reader", "Things to do"),
    ("home (manager)", "/home", "manager", "Things to do"),
    ("People Services' applications", "/people-services/applications", "officer",
     "SEC-2026-"),
    ("People Services' applications, page 20", "/people-services/applications?page=20",
     "officer", "SEC-2026-"),
    ("a manager's decisions", "/decisions", "manager", "waiting for your decision"),
]


def measure(size: int, requests: int, database_url: str) -> dict:
    url, drop = scratch_database(database_url)
    try:
        env = {"PORTAL_ENV": "test", "SECRET_KEY": "bench", "DATABASE_URL": url,
               "RATELIMIT_ENABLED": "false"}
        app = create_app(vars(Config(env)))
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            people = seed(opportunities=size, staff_count=max(size // 10, 1_000),
                          applications=size, reports=max(size // 100, 10))
            held = cookies(app, people)
            queries = []
            event.listen(db.engine, "before_cursor_execute",
                         lambda *args: queries.append(1))
        results = {}
        for name, path, person, says in PAGES:
            client = app.test_client()
            key, value = held[person].split("=", 1)
            client.set_cookie(key, value)
            path = path.format(last=max(size // 40, 2))
            answer = client.get(path)
            if answer.status_code != 200 or says not in answer.get_data(as_text=True):
                raise SystemExit(f"{name} at {size}: not the real page "
                                 f"({answer.status_code}; '{says}' missing)")
            times = []
            for _ in range(requests):
                queries.clear()
                started = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            results[name] = (statistics.median(times), len(queries))
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        return results
    finally:
        if drop:
            drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--database-url",
                        default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    by_size = {size: measure(size, args.requests, args.database_url) for size in args.sizes}
    first, last = args.sizes[0], args.sizes[-1]
    heading = "".join(f"{f'{size:,} rows':>18}" for size in args.sizes)
    print(f"\n{'page':<40}{heading}{'growth':>8}")
    for name, *_ in PAGES:
        cells = "".join(f"{by_size[s][name][0]:>9.1f} ms {by_size[s][name][1]:>2} q"
                        for s in args.sizes)
        growth = by_size[last][name][0] / by_size[first][name][0]
        print(f"{name:<40}{cells}{growth:>7.1f}x")


if __name__ == "__main__":
    main()
