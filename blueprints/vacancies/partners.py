"""Incoming secondments for people from other organisations: a public page, each
advert, and Atom and JSON feeds, for the organisation's website and for People
Services to send to partner organisations. Nobody signs in to read them.

Only open, advertised, incoming opportunities appear, and only what a person outside
the organisation needs: never the contact's address, the business case, the reasons
for restricting the pool or anything recorded about the decision to advertise."""

from flask import current_app, render_template, request

from blueprints.vacancies import bp
from blueprints.vacancies.feeds import atom_response
from blueprints.vacancies.presenters import offered_by, restricted
from portal.extensions import limiter
from portal.formatting import closing_time
from portal.loaders import opportunity_for_partners
from portal.permissions import public
from portal.querystring import page_number
from portal.services import opportunities as service
from portal.urls import external_url

# Public: a website or a partner's reader polls every few minutes; a person reads a page.
PUBLIC_LIMIT = "60 per minute"


def _link(opportunity) -> str:
    return external_url("vacancies.partner_advert", opportunity_id=opportunity.id)


def _title() -> str:
    return f"Secondments into {current_app.config['ORGANISATION_NAME']}"


@bp.get("/opportunities/incoming")
@limiter.limit(PUBLIC_LIMIT)
@public
def partner_opportunities():
    results = service.partner_opportunities(page_number(request.args.get("page")))
    return render_template("vacancies/partners.html", results=results, heading=_title(),
                           enquiries=current_app.config["PEOPLE_SERVICES_EMAIL"])


@bp.get("/opportunities/incoming/<int:opportunity_id>")
@limiter.limit(PUBLIC_LIMIT)
@public
def partner_advert(opportunity_id: int):
    opportunity = opportunity_for_partners(opportunity_id)
    return render_template("vacancies/partner_advert.html", o=opportunity,
                           enquiries=current_app.config["PEOPLE_SERVICES_EMAIL"])


@bp.get("/opportunities/incoming.atom")
@limiter.limit(PUBLIC_LIMIT)
@public
def partner_atom_feed():
    return atom_response(
        service.partner_feed_items(), title=_title(),
        page_endpoint="vacancies.partner_opportunities",
        self_endpoint="vacancies.partner_atom_feed", link=_link,
        summary=lambda o: f"{o.summary} Offered by {offered_by(o)}. "
                          f"Closes at {closing_time(o.closing_date)}.")


@bp.get("/opportunities/incoming.json")
@limiter.limit(PUBLIC_LIMIT)
@public
def partner_json_feed():
    return {"opportunities": [
        {"title": o.title, "summary": o.summary, "offered_by": offered_by(o),
         "location": o.location, "country": o.country, "grade": o.grade,
         "grades_in_pool": o.pool_grade_list if restricted(o) else [],
         "duration_months": o.duration_months,
         "start_date": o.start_date.isoformat() if o.start_date else None,
         "closing_date": o.closing_date.isoformat(),
         "closes": f"Closes at {closing_time(o.closing_date)}", "url": _link(o)}
        for o in service.partner_feed_items()]}
