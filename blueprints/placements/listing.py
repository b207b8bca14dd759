"""People Services' list of every placement, with its filters, and the CSV export of
exactly what the list shows (every page of it)."""

from flask import redirect, render_template, request, url_for

from blueprints.placements import bp
from portal.exports import csv_response
from portal.models.opportunities import OpportunityKind
from portal.models.placements import PlacementStatus
from portal.permissions import Permission, requires
from portal.querystring import FilterReader
from portal.services.placements import listing

STATUSES = {s.value: s.label for s in PlacementStatus}
KINDS = {k.value: k.short_label for k in OpportunityKind}


def _filters_from(args) -> tuple[listing.PlacementFilters, FilterReader]:
    read = FilterReader(args)
    filters = listing.PlacementFilters(
        status=read.choice("status", STATUSES, "Select a status from the list") or "",
        kind=read.choice("kind", KINDS, "Select a kind of placement from the list") or "",
        organisation_id=read.record_id("organisation", "Select an organisation from the list"),
        organisation_name=read.text("organisation_name", 100),
        department_id=read.record_id("department", "Select a department from the list"),
        starting_within=read.choice("starting_within", listing.STARTING_WITHIN,
                                    "Select how soon the placements start from the list",
                                    convert=int),
        order=read.choice("order", listing.ORDERS, "Select an order from the list")
        or "start",
        page=read.page())
    return filters, read


def _choices(records) -> list[tuple[str, str]] | None:
    return None if records is None else [(str(r.id), r.name) for r in records]


def _text(value) -> str:
    return "" if value is None else str(value)


@bp.get("/placements")
@requires(Permission.MANAGE_PLACEMENTS)
def list_placements():
    filters, reader = _filters_from(request.args)
    return render_template(
        "placements/list.html", results=listing.list_placements(filters), filters=filters,
        form=reader, statuses=STATUSES, kinds=KINDS, orders=listing.ORDERS,
        within=[(str(days), f"{days} days") for days in listing.STARTING_WITHIN],
        organisations=_choices(listing.external_organisations()),
        departments=_choices(listing.departments()),
        chosen={"starting_within": _text(filters.starting_within),
                "organisation": _text(filters.organisation_id),
                "department": _text(filters.department_id)},
        export_args={k: v for k, v in request.args.items(multi=True) if k != "page"})


@bp.get("/placements/export.csv")
@requires(Permission.MANAGE_PLACEMENTS)
def export_placements():
    filters, reader = _filters_from(request.args)
    if reader.errors:
        # The list shows which filter it could not use; the export never guesses.
        return redirect(url_for("placements.list_placements", **request.args.to_dict(False)))
    return csv_response(listing.EXPORT_COLUMNS, lambda: listing.export_rows(filters),
                        listing.export_cells, "placements.csv")
