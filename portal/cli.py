"""`flask` commands: demo data, the staff import, the mail worker, the daily reminders
(offers not answered in time, onboarding tasks) and the demo's servers."""

import logging
import sys
from contextlib import contextmanager

import click
from flask import current_app

# How often the import says how far it is when not on a terminal (cron's mail, a log).
PLAIN_PROGRESS_ROWS = 10_000


def init_app(app) -> None:
    from portal.services.staff_import.options import LEAVER_CHOICES

    @app.cli.command("demo-data")
    def demo_data():
        """Seed (or bring up to date) the demo organisations, departments and personas."""
        if current_app.config["PORTAL_ENV"] == "production":
            raise click.ClickException(
                "demo-data adds made-up people with made-up roles: it does not run with "
                "PORTAL_ENV=production")
        from portal.demo import PERSONAS, seed_demo_data
        from portal.demo.applications import seed_demo_applications
        from portal.demo.opportunities import seed_demo_opportunities
        from portal.demo.placements import seed_demo_placements

        issuers = {name: p.issuer for name, p in current_app.config["OIDC_PROVIDERS"].items()}
        for line in seed_demo_data(issuers):
            click.echo(line)
        opportunities = seed_demo_opportunities()
        # The demo's own history would otherwise print dozens of e-mails before it starts.
        mail_log = logging.getLogger("portal.notifications")
        level = mail_log.level
        mail_log.setLevel(logging.WARNING)
        try:
            applications = seed_demo_applications()
            placements = seed_demo_placements()
        finally:
            mail_log.setLevel(level)
        click.echo(f"Demo data ready: {len(PERSONAS)} personas, "
                   f"{opportunities} new opportunities, {applications} new applications, "
                   f"{placements} new placements.")

    @app.cli.command("import-staff")
    @click.argument("csv_file", type=click.File("rb"))
    @click.option("--encoding", metavar="ENCODING",
                  help="The file's encoding (utf-8, utf-16, windows-1252…). Without it: "
                       "from the byte-order mark, else UTF-8 if the whole file is valid "
                       "UTF-8, else Windows-1252.")
    @click.option("--leavers", type=click.Choice(LEAVER_CHOICES), default="keep",
                  show_default=True,
                  help="What happens to enabled people of the organisation who are not in "
                       "the file: keep them, or disable them (their sessions end).")
    @click.option("--max-leavers", type=click.IntRange(min=0), metavar="N",
                  help="With --leavers disable, refuse a file that would disable more "
                       "than N people (a truncated export).")
    @click.option("--dry-run", is_flag=True,
                  help="Check the file and print what it would change; change nothing.")
    def import_staff_command(csv_file, encoding, leavers, max_leavers, dry_run):
        """Create or update staff from the HR export (name, email, department,
        line_manager_email, grade; column names as STAFF_IMPORT_COLUMNS maps them).
        Takes all rows or, if any is wrong, none.

        Exit status: 0 imported (or, with --dry-run, nothing wrong); 1 refused, with
        every problem listed and nothing changed; 2 the command was not used right."""
        from portal.services.staff_import import (
            ImportOptionsError,
            apply_staff_import,
            read_options,
        )

        try:
            options = read_options(encoding=encoding, leavers=leavers, dry_run=dry_run,
                                   max_leavers=max_leavers)
        except ImportOptionsError as error:
            raise click.BadParameter(str(error), param_hint="--encoding") from None
        with _import_progress(csv_file, passes=1 if dry_run else 2) as progress:
            result = apply_staff_import(csv_file, options, progress=progress)
        if not result.ok:
            click.echo("No staff were imported. Correct these rows and run it again:", err=True)
            for error in result.errors:
                click.echo(f"  {error}", err=True)
            sys.exit(1)
        _echo_import(result, dry_run)

    @app.cli.command("deliver-mail")
    @click.option("--once", is_flag=True,
                  help="Deliver what is due now, then stop (for cron).")
    @click.option("--poll-seconds", default=5.0, show_default=True,
                  help="How often to look for new messages when running on.")
    def deliver_mail(once, poll_seconds):
        """Deliver the e-mail outbox through MAIL_SERVER: until stopped, or with --once
        until nothing is due. Several workers may run at once."""
        from portal import mail_worker

        if not current_app.config.get("MAIL_SERVER"):
            raise click.ClickException(
                "MAIL_SERVER is not set: e-mail is written to the log, there is nothing "
                "to deliver")
        mail_worker.run(once=once, poll_seconds=poll_seconds, echo=click.echo)

    @app.cli.command("send-offer-reminders")
    def send_offer_reminders():
        """Tell the hiring side of each offer not answered by its reply-by date (run
        daily from cron): each offer is told once, however often it runs."""
        from portal.services.applications import tell_about_overdue_offers

        told = tell_about_overdue_offers()
        click.echo(f"Offers not answered in time: {told} newly told to the hiring side.")

    @app.cli.command("send-reminders")
    def send_reminders_command():
        """Queue each person's digest of onboarding tasks overdue or due within 5 working
        days, and People Services' of visa and right-to-work dates expiring (run daily
        from cron): one per person per day, however often and on however many hosts."""
        from portal.services.onboarding.reminders import send_reminders

        run = send_reminders()
        click.echo(f"Onboarding reminders: {run.queued} digests queued, {run.skipped} "
                   f"people already reminded today skipped, {run.expiry_warnings} expiry "
                   f"warnings to People Services.")

    @app.cli.command("serve-demo")
    @click.option("--port", default=5000, show_default=True)
    @click.option("--idp-port", default=9400, show_default=True)
    @click.option("--partner-idp-port", default=9401, show_default=True)
    def serve_demo(port, idp_port, partner_idp_port):
        """Run the portal with the embedded development identity providers (demo only)."""
        from portal.demo import PERSONAS
        from portal.devidp import running_providers

        if current_app.config["PORTAL_ENV"] != "development":
            raise click.ClickException("serve-demo runs only with PORTAL_ENV=development")
        with running_providers({"staff": idp_port, "partner": partner_idp_port}) as issuers:
            click.echo(f"\nSecondments portal: http://127.0.0.1:{port}")
            click.echo(f"Identity providers: {issuers['staff']} (staff), "
                       f"{issuers['partner']} (host organisations)")
            click.echo("Sign in as any of these personas (choose the name on the provider's page):")
            for p in PERSONAS:
                where = "host organisation sign-in" if p.provider == "partner" else "staff sign-in"
                click.echo(f"  {p.subject:<15} {p.name:<16} {p.description} ({where})")
            click.echo("Press Ctrl-C to stop.\n")
            from werkzeug.serving import run_simple

            run_simple("127.0.0.1", port, current_app._get_current_object(), threaded=True,
                       use_reloader=False, use_debugger=False)


def _estimated_rows(stream) -> int:
    """About how many rows a file has (its lines less the header), for the progress bar;
    0 when it cannot be read twice (a pipe)."""
    if not stream.seekable():
        return 0
    start, lines = stream.tell(), 0
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        lines += chunk.count(b"\n")
    stream.seek(start)
    return max(lines - 1, 1)


@contextmanager
def _import_progress(stream, passes: int):
    """A progress bar of rows read (then written) on a terminal; a plain line every
    PLAIN_PROGRESS_ROWS rows when not, or when the file's length cannot be known."""
    rows = _estimated_rows(stream) if sys.stdout.isatty() else 0
    if rows:
        with click.progressbar(length=rows * passes, label="Importing staff") as bar:
            done = [0]

            def progress(read, written):
                step = min(read + written, rows * passes) - done[0]
                if step > 0:
                    bar.update(step)
                    done[0] += step

            yield progress
        return
    told = {"read": 0, "written": 0}

    def progress(read, written):
        for what, count in (("read", read), ("written", written)):
            if count // PLAIN_PROGRESS_ROWS > told[what] // PLAIN_PROGRESS_ROWS:
                click.echo(f"{count:,} rows {what}")
                told[what] = count

    yield progress


def _echo_import(result, dry_run: bool) -> None:
    how = f"{result.rows:,} rows read ({result.encoding}, separated by {result.separator})"
    if dry_run:
        click.echo(f"Dry run: nothing was changed. {how}. Applied, the file would change:")
    else:
        click.echo(f"Imported staff: {result.counts()}. {how}:")
    departments = ", ".join(result.new_departments[:10]) + (
        ", …" if len(result.new_departments) > 10 else "")
    for label, count, more in (
            ("created", result.created, ""), ("updated", result.updated, ""),
            ("moved department", result.moved_department, ""),
            ("new line manager", result.new_line_manager, ""),
            ("disabled", result.disabled, ""),
            ("unchanged", result.unchanged, ""),
            ("new departments", len(result.new_departments),
             f" ({departments})" if departments else "")):
        click.echo(f"  {label + ':':<18}{count:>9,}{more}")
    if result.still_disabled:
        click.echo(f"{result.still_disabled:,} people in the file are disabled in the portal: "
                   "an import does not enable them again (the back office does).")
    if result.not_in_file and not result.leavers:
        click.echo(f"{result.not_in_file:,} people of the organisation are not in the file "
                   "and were kept (--leavers disable disables them).")
    for leaver in result.leavers:
        waits = [f"{d.waiting_for} on {d.reference or f'application {d.application_id}'} "
                 f"({d.applicant}, {d.opportunity})" for d in leaver.open_decisions]
        waits += [f"Head of {name}" for name in leaver.heads]
        what = "disabled" if result.applied else "would be disabled"
        click.echo(f"Leaver {what}: {leaver.name} <{leaver.email}>"
                   + ("" if waits else ": nothing waits on them"))
        for wait in waits:
            click.echo(f"    {wait}: give it to someone else")
