"""Open opportunities for the organisation's intranet: Atom, JSON and iCalendar.

Only opportunities advertised to all staff, and only what an intranet page needs:
title, summary, closing date and link. Answered to signed-in staff and to servers
holding the deployment's feed key (`?key=`)."""

from collections.abc import Callable
from xml.etree import ElementTree as ET

from flask import Response, current_app

from blueprints.vacancies import bp
from portal.calendars import DayEntry, ics
from portal.extensions import limiter
from portal.formatting import CLOSING_TIME, closing_time
from portal.models.base import utcnow
from portal.permissions import Permission, requires_or_feed_key
from portal.services.opportunities import feed_items
from portal.urls import external_url

ATOM = "http://www.w3.org/2005/Atom"
# An intranet polls every few minutes; anything faster is not a CMS.
FEED_LIMIT = "30 per minute"


def _link(opportunity) -> str:
    return external_url("vacancies.advert", opportunity_id=opportunity.id)


def atom_response(items, *, title: str, page_endpoint: str, self_endpoint: str,
                  link: Callable, summary: Callable) -> Response:
    """An Atom feed of opportunities: the staff intranet's and the partners' alike."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = external_url(page_endpoint)
    ET.SubElement(feed, f"{{{ATOM}}}link", href=external_url(page_endpoint))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=external_url(self_endpoint))
    updated = max((o.updated_after_publication_at or o.published_at for o in items),
                  default=utcnow())
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated.isoformat()
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = current_app.config["ORGANISATION_NAME"]
    for o in items:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = o.title
        ET.SubElement(entry, f"{{{ATOM}}}id").text = link(o)
        ET.SubElement(entry, f"{{{ATOM}}}link", href=link(o))
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = (
            o.updated_after_publication_at or o.published_at).isoformat()
        ET.SubElement(entry, f"{{{ATOM}}}published").text = o.published_at.isoformat()
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = summary(o)
    body = ET.tostring(feed, encoding="unicode", xml_declaration=True)
    return Response(body, mimetype="application/atom+xml")


@bp.get("/opportunities/feed.atom")
@limiter.limit(FEED_LIMIT)
@requires_or_feed_key(Permission.VIEW_BOARD)
def atom_feed():
    return atom_response(
        feed_items(), title=f"Secondment opportunities – "
                            f"{current_app.config['ORGANISATION_NAME']}",
        page_endpoint="vacancies.board", self_endpoint="vacancies.atom_feed", link=_link,
        summary=lambda o: f"{o.summary} Closes at {closing_time(o.closing_date)}.")


@bp.get("/opportunities.json")
@limiter.limit(FEED_LIMIT)
@requires_or_feed_key(Permission.VIEW_BOARD)
def json_feed():
    return {
        "opportunities": [
            {"title": o.title, "summary": o.summary,
             "closing_date": o.closing_date.isoformat(), "url": _link(o)}
            for o in feed_items()
        ]
    }


@bp.get("/opportunities/closing-dates.ics")
@limiter.limit(FEED_LIMIT)
@requires_or_feed_key(Permission.VIEW_BOARD)
def closing_dates_calendar():
    host = external_url("vacancies.board").split("/")[2]
    body = ics("Secondment closing dates", (
        DayEntry(uid=f"opportunity-{o.id}-closing@{host}", day=o.closing_date,
                 summary=f"Closing date: {o.title}",
                 description=f"{o.summary} Closes at {CLOSING_TIME}.", url=_link(o))
        for o in feed_items(limit=500)))
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": "inline; filename=closing-dates.ics"})
