"""Placements: the secondment itself, its agreement with legal and the parties'
signatures, and the other organisation's contact confirming it (issue 11)."""

from flask import Blueprint

bp = Blueprint("placements", __name__)

from blueprints.placements import (  # noqa: E402,F401
    agreement,
    agreement_actions,
    home,
    host,
    listing,
    setup,
    views,
)
