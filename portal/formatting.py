"""Dates and times as people in the UK read them."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def long_date(value: date | datetime | None) -> str:
    """'4 December 2026'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return f"{value.day} {value:%B %Y}"


def london_datetime(value: datetime | None) -> str:
    """'4 December 2026 at 2:05pm' in UK time."""
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    hour = local.hour % 12 or 12
    return f"{long_date(local.date())} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


# Applications are taken until the end of the closing day. "Midnight" reads as either
# end of that day or its very start, so the time is given as the last minute.
CLOSING_TIME = "11:59pm"


def closing_time(value: date | None) -> str:
    """'11:59pm on 14 January 2027': when applications close on a closing date."""
    if value is None:
        return ""
    return f"{CLOSING_TIME} on {long_date(value)}"


def sentence(text: str) -> str:
    """Capital first letter, the rest untouched ('closes on 4 December')."""
    return text[:1].upper() + text[1:]


def init_app(app) -> None:
    app.add_template_filter(sentence, "sentence")
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(long_date, "london_date")
    app.add_template_filter(london_datetime, "london_datetime")
    app.add_template_filter(closing_time, "closing_time")
