"""Onboarding checklists (R9): a placement's checklist, each person's tasks, the
templates People Services keep, and People Services' dashboard of every open checklist."""

from flask import Blueprint

bp = Blueprint("onboarding", __name__)

from blueprints.onboarding import (  # noqa: E402,F401
    checklist_templates,
    dashboard,
    home,
    views,
)
