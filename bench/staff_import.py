"""The HR staff import (`flask import-staff`) at a large body's size: 100,000 staff, on
PostgreSQL (or SQLite with --database-url ""), timed as cron would run it.

Makes a scratch database migrated from empty, writes an export of `--rows` people (ten
reports to each manager, 40 departments, in Windows-1252 with names that need it), and
runs the real command in a process of its own for each of these, printing its wall time
and the process's peak resident memory (from the kernel, as `time -v` would):

1. the first import: everyone created;
2. the next night's export, as a dry run with --leavers disable: 1% moved department,
   1% with a new line manager, 0.5% new starters, 0.5% leavers;
3. the same export applied;
4. the same again with one bad row at the end: refused, nothing changed.

    .venv/bin/python bench/staff_import.py [--rows 100000]
        [--database-url postgresql://postgres@127.0.0.1:5432/test]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.board import scratch_database  # noqa: E402
from portal import create_app  # noqa: E402
from portal.config import Config  # noqa: E402

HEADER = "Full Name,Employee Email,Department,Line Manager Email,Grade\r\n"
FIRST = ["Zoë", "Siân", "Ruairí", "Chloé", "Amélie", "Ayo", "Priya", "Tom", "Niamh", "Jo"]


def person(n: int, *, moved: bool = False, new_manager: bool = False) -> str:
    manager = "" if n == 0 else f"p{(n - 1) // 10}@example.org"
    if new_manager and n > 10:
        manager = f"p{(n - 1) // 10 - 1}@example.org"
    department = (n // 1000 + (7 if moved else 0)) % 40
    return (f"{FIRST[n % 10]} Person {n},p{n}@example.org,Department {department},"
            f"{manager},Band {1 + n % 9}\r\n")


def write_export(path: Path, rows: int, *, night: int = 0, bad_end: bool = False) -> None:
    """Night 0: everyone. Night 1: some moved, some new managers, starters, leavers
    (the leavers are people nobody reports to: the last half percent)."""
    leavers = rows // 200 if night else 0
    with path.open("w", encoding="cp1252", newline="") as out:
        out.write(HEADER)
        for n in range(rows - leavers):
            out.write(person(n, moved=bool(night and n % 100 == 1),
                             new_manager=bool(night and n % 100 == 2)))
        for n in range(rows, rows + (rows // 200 if night else 0)):
            out.write(person(n))
        if bad_end:
            out.write("No Email,not-an-address,Department 1,,Band 3\r\n")


def run(env: dict, args: list[str]) -> tuple[float, float, int, str]:
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi",  # noqa: S603
                                "import-staff", *args], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, process.returncode, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url",
                        default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    url, drop = scratch_database(args.database_url or None)
    folder = Path(tempfile.mkdtemp(prefix="portal-bench-staff-"))
    try:
        env = {"PORTAL_ENV": "test", "SECRET_KEY": "bench", "DATABASE_URL": url,
               "STAFF_IMPORT_COLUMNS": "Full Name=name;Employee Email=email;"
                                       "Line Manager Email=line_manager_email"}
        app = create_app(vars(Config(env)))
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
        first, night, bad = folder / "first.csv", folder / "night.csv", folder / "bad.csv"
        write_export(first, args.rows)
        write_export(night, args.rows, night=1)
        write_export(bad, args.rows, night=1, bad_end=True)
        env = {**os.environ, **env}
        print(f"{'run':<58}{'time':>8}{'peak RSS':>11}{'exit':>6}")
        for name, command in [
                (f"first import, {args.rows:,} created", [str(first)]),
                ("next night, dry run, --leavers disable",
                 [str(night), "--dry-run", "--leavers", "disable"]),
                ("next night applied, --leavers disable", [str(night), "--leavers",
                                                           "disable"]),
                ("one bad row at the end: refused", [str(bad), "--leavers", "disable"])]:
            elapsed, rss, code, output = run(env, command)
            print(f"{name:<58}{elapsed:>7.1f}s{rss:>8.0f} MB{code:>6}")
            print("    " + "\n    ".join(output.strip().splitlines()[-12:]))
    finally:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
        if drop:
            drop()


if __name__ == "__main__":
    main()
