"""`flask` commands: demo data, the staff import, the mail worker, the daily reminders
(offers not answered in time, onboarding tasks) and the demo's servers."""

import logging
import sys

import click
from flask import current_app


def init_app(app) -> None:
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
    @click.argument("csv_file", type=click.File("r", encoding="utf-8-sig"))
    def import_staff_command(csv_file):
        """Create or update staff from the HR export (name, email, department,
        line_manager_email, grade). Takes all rows or, if any is wrong, none."""
        from portal.services.staff_import import import_staff

        result = import_staff(csv_file)
        if not result.ok:
            click.echo("No staff were imported. Correct these rows and run it again:", err=True)
            for error in result.errors:
                click.echo(f"  {error}", err=True)
            sys.exit(1)
        click.echo(f"Imported staff: {result.created} created, {result.updated} updated.")

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
