"""iCalendar (RFC 5545) files the portal publishes, written by the `icalendar` library
(escaping and line folding included): today the board's closing dates, later a
person's review and end dates. One helper, so every calendar is written the same way."""

from dataclasses import dataclass
from datetime import date, timedelta

from icalendar import Calendar, Event

from portal.models.base import utcnow


@dataclass(frozen=True)
class DayEntry:
    """An all-day event: a closing date, a review date, an end date."""

    uid: str
    day: date
    summary: str
    description: str = ""
    url: str = ""


def ics(name: str, entries) -> bytes:
    """The calendar called `name` with one all-day event per entry."""
    calendar = Calendar()
    calendar.add("prodid", "-//Secondments portal//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = utcnow()
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
        event.add("summary", entry.summary)
        if entry.description:
            event.add("description", entry.description)
        if entry.url:
            event.add("url", entry.url)
        calendar.add_component(event)
    return calendar.to_ical()
