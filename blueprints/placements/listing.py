"""People Services' list of every placement, with its filters, and the CSV export of
exactly what the list shows (every page of it)."""

import csv
import io

from flask import Response, current_app, redirect, render_template, request, url_for

from blueprints.placements import bp
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

    app = current_app._get_current_object()

    def lines():
        # Sent as it is read: the rows are written while the server sends the response,
        # after the request itself has ended, in an application context (and a database
        # session) of their own. The heading goes first, before that context is opened.
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(listing.EXPORT_COLUMNS)
        yield _taken(buffer)
        with app.app_context():
            for row in listing.export_rows(filters):
                writer.writerow(listing.export_cells(row))
                if buffer.tell() > 16_384:
                    yield _taken(buffer)
        yield _taken(buffer)

    return Response(lines(), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=placements.csv"})


def _taken(buffer: io.StringIO) -> str:
    """What the buffer holds, emptying it."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
