"""The secondments portal: `create_app()` wires configuration, extensions and blueprints."""

from pathlib import Path

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from portal.config import Config

ROOT = Path(__file__).resolve().parent.parent


def _log_portal_to_console() -> None:
    import logging

    logger = logging.getLogger("portal")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        static_folder="static",
        static_url_path="/assets",
        template_folder=str(ROOT / "templates"),
    )
    app.config.from_mapping(vars(Config()) if config is None else config)
    if app.config["PORTAL_ENV"] == "production":
        # A sealing key that cannot be opened (a wrong passphrase, the key of another
        # certificate) stops the start, not the first agreement executed weeks later.
        from portal.services.pdf import sealing_credentials

        sealing_credentials(app).load()
    if app.config["PORTAL_ENV"] == "development":
        # The demo has no mail server: e-mails are written to the console.
        _log_portal_to_console()
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    from portal.querystring import IdConverter

    # Before any blueprint adds its routes: every `<int:...>` is bounded to 64 bits.
    app.url_map.converters["int"] = IdConverter
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)

    from portal import cli, database, errors, formatting, security
    from portal.extensions import csrf, db, limiter, login_manager, migrate
    from portal.oidc import init_oidc
    from portal.services.sessions import user_for_session

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    login_manager.user_loader(user_for_session)
    login_manager.login_view = "auth.sign_in"
    # Sessions are checked against their server-side record on every request, which
    # is stronger than Flask-Login's own session protection.
    login_manager.session_protection = None
    csrf.init_app(app)
    limiter.init_app(app)
    init_oidc(app)
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    from blueprints.admin import init_admin
    from blueprints.applications import bp as applications_bp
    from blueprints.auth import bp as auth_bp
    from blueprints.decisions import bp as decisions_bp
    from blueprints.host import bp as host_bp
    from blueprints.main import bp as main_bp
    from blueprints.onboarding import bp as onboarding_bp
    from blueprints.people_services import bp as people_services_bp
    from blueprints.placements import bp as placements_bp
    from blueprints.selection import bp as selection_bp
    from blueprints.vacancies import bp as vacancies_bp

    for blueprint in (main_bp, auth_bp, vacancies_bp, applications_bp, decisions_bp,
                      selection_bp, people_services_bp, host_bp, placements_bp, onboarding_bp):
        app.register_blueprint(blueprint)
    init_admin(app)

    security.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    formatting.init_app(app)

    from portal.navigation import navigation_for, section_navigation_for
    from portal.permissions import Permission
    from portal.services.paging import page_window
    from portal.urls import external_url

    # Letters and e-mails link to the portal's configured address, never the request's.
    app.add_template_global(external_url)
    app.add_template_global(page_window)

    @app.template_global()
    def page_url(number: int) -> str:
        """This page's address at another page number, keeping its filters."""
        from flask import request, url_for

        args = request.args.to_dict(flat=False) | {"page": [number]}
        return url_for(request.endpoint, **(request.view_args or {}), **args)

    @app.context_processor
    def portal_globals():
        return {
            "organisation_name": app.config["ORGANISATION_NAME"],
            "service_name": app.config["SERVICE_NAME"],
            "navigation_for": navigation_for,
            "section_navigation_for": section_navigation_for,
            "Permission": Permission,
        }

    return app
