"""Values a worker keeps for a few seconds instead of reading them on every request:
the board's filter choices, which change when an opportunity is published or closes,
not from one request to the next. Each worker has its own; nothing is shared."""

import time
from collections.abc import Callable
from functools import wraps

from flask import current_app


def kept_for(setting: str) -> Callable:
    """Keep the function's answer, by its arguments, for the number of seconds the
    configuration `setting` says (0: never kept). Kept per application."""
    def decorator(function):
        @wraps(function)
        def wrapped(*args):
            seconds = current_app.config.get(setting, 0)
            if not seconds:
                return function(*args)
            store = current_app.extensions.setdefault("portal_kept", {})
            key = (function.__qualname__, *args)
            now = time.monotonic()
            kept = store.get(key)
            if kept is not None and kept[0] > now:
                return kept[1]
            value = function(*args)
            store[key] = (now + seconds, value)
            return value
        return wrapped
    return decorator
