"""CSV downloads that stream: the heading goes first, then the rows as they are read,
so memory stays the same however many rows a list has."""

import csv
import io
from collections.abc import Callable, Iterable

from flask import Response, current_app


def csv_response(columns, rows: Callable[[], Iterable], cells: Callable, filename: str
                 ) -> Response:
    """A download of `rows()` (each written as `cells(row)`). The rows are read while the
    server sends the response, after the request itself has ended, in an application
    context (and a database session) of their own; the heading is sent before that
    context opens, so a download abandoned at once leaves nothing open."""
    app = current_app._get_current_object()

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        yield _taken(buffer)
        with app.app_context():
            for row in rows():
                writer.writerow(cells(row))
                if buffer.tell() > 16_384:
                    yield _taken(buffer)
        yield _taken(buffer)

    return Response(lines(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename={filename}"})


def _taken(buffer: io.StringIO) -> str:
    """What the buffer holds, emptying it."""
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
