"""People Services' dashboard of every open checklist (R9, R13), with its filters, and
the CSV export of every item of exactly the checklists it selects, streamed."""

from flask import redirect, render_template, request, url_for

from blueprints.onboarding import bp
from portal.exports import csv_response
from portal.models.opportunities import OpportunityKind
from portal.permissions import Permission, requires
from portal.querystring import FilterReader
from portal.services.onboarding import listing
from portal.services.placements import listing as placement_lists

KINDS = {k.value: k.short_label for k in OpportunityKind}


def _filters_from(args) -> tuple[listing.ChecklistFilters, FilterReader]:
    read = FilterReader(args)
    filters = listing.ChecklistFilters(
        kind=read.choice("kind", KINDS, "Select a kind of placement from the list") or "",
        department_id=read.record_id("department", "Select a department from the list"),
        organisation_id=read.record_id("organisation", "Select an organisation from the list"),
        organisation_name=read.text("organisation_name", 100),
        owner=read.choice("owner", listing.OWNERS, "Select an owner from the list") or "",
        starts_within=read.choice("starts_within", listing.STARTS_WITHIN,
                                  "Select how soon the placements start from the list",
                                  convert=int),
        page=read.page())
    return filters, read


def _text(value) -> str:
    return "" if value is None else str(value)


@bp.get("/people-services/checklists")
@requires(Permission.MANAGE_PLACEMENTS)
def list_checklists():
    filters, reader = _filters_from(request.args)
    organisations = placement_lists.external_organisations()
    return render_template(
        "onboarding/dashboard.html", results=listing.open_checklists(filters),
        filters=filters, form=reader, kinds=KINDS, owners=listing.OWNERS,
        within=[(str(days), f"{days} days") for days in listing.STARTS_WITHIN],
        organisations=None if organisations is None
        else [(str(o.id), o.name) for o in organisations],
        departments=[(str(d.id), d.name) for d in placement_lists.departments()],
        chosen={"starts_within": _text(filters.starts_within),
                "organisation": _text(filters.organisation_id),
                "department": _text(filters.department_id)},
        export_args={k: v for k, v in request.args.items(multi=True) if k != "page"})


@bp.get("/people-services/checklists.csv")
@requires(Permission.MANAGE_PLACEMENTS)
def export_checklists():
    filters, reader = _filters_from(request.args)
    if reader.errors:
        return redirect(url_for(".list_checklists", **request.args.to_dict(False)))
    return csv_response(listing.EXPORT_COLUMNS, lambda: listing.export_rows(filters),
                        listing.export_cells, "checklists.csv")
