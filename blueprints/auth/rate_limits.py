"""How often sign-in may be asked for.

A council's whole office may reach the portal from one address, and everyone signs in
at 9am: per address the limit is that of an office (SIGN_IN_LIMIT_PER_ADDRESS, several
hundred a minute), never that of a person. What is limited tightly is one browser, or
one sign-in: a browser is known by a random mark its session carries from its first
sign-in start, and a sign-in by the `state` its callback comes back with, which a
person's browser presents once. A script that keeps its cookies is stopped by the
first; one that replays a callback by the second; one that does neither still counts
towards its address.
"""

import secrets

from flask import current_app, request, session

# Where a browser's session keeps its mark.
BROWSER_KEY = "sign_in_browser"
PER_BROWSER = "20 per minute"
PER_SIGN_IN = "3 per minute"


def per_address() -> str:
    return current_app.config["SIGN_IN_LIMIT_PER_ADDRESS"]


def mark_browser() -> None:
    """Give this browser's session its mark, once."""
    session.setdefault(BROWSER_KEY, secrets.token_urlsafe(16))


def browser_key() -> str:
    return "sign-in-browser:" + session.get(BROWSER_KEY, "")


def has_no_browser_mark() -> bool:
    """A first visit: nothing to count it by but its address."""
    return BROWSER_KEY not in session


def sign_in_key() -> str:
    return "sign-in-state:" + request.args.get("state", "")[:200]


def has_no_state() -> bool:
    return not request.args.get("state")
