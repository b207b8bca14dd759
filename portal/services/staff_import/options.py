"""What a staff import is asked to do: which encoding the file is in (when it is not
to be detected), what happens to people no longer in the file, whether it is only a dry
run, and the deployment's own names for the columns (STAFF_IMPORT_COLUMNS)."""

import codecs
from dataclasses import dataclass

from flask import current_app

LEAVER_CHOICES = ("keep", "disable")

# The names people know encodings by, for messages.
_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16",
           "utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "utf-32": "UTF-32",
           "utf-32-le": "UTF-32", "utf-32-be": "UTF-32", "cp1252": "Windows-1252",
           "iso8859-1": "ISO-8859-1", "latin-1": "ISO-8859-1", "ascii": "ASCII"}


class ImportOptionsError(ValueError):
    """An option the import cannot take; the message is written for the person."""


@dataclass
class ImportOptions:
    # A Python codec name ("utf-8", "utf-16", "cp1252"); None detects it (reading.py).
    encoding: str | None = None
    # "disable": everyone of the organisation not in the file is disabled.
    leavers: str = "keep"
    dry_run: bool = False
    # HR column name -> portal column; None takes the deployment's STAFF_IMPORT_COLUMNS.
    columns: dict[str, str] | None = None
    # Refuse the file when it would disable more people than this (a truncated export
    # must not disable half the organisation overnight); None for no limit.
    max_leavers: int | None = None


def encoding_label(codec: str) -> str:
    name = codecs.lookup(codec).name
    return _LABELS.get(name, name.upper())


def codec_for(encoding: str) -> str:
    """The Python codec for an encoding a person named, or ImportOptionsError."""
    try:
        info = codecs.lookup(encoding.strip())
    except LookupError:
        raise ImportOptionsError(
            f"{encoding!r} is not an encoding the import knows: use utf-8, utf-16 or "
            "windows-1252") from None
    if not getattr(info, "_is_text_encoding", True):
        raise ImportOptionsError(f"{encoding!r} is not a text encoding")
    # A UTF-8 file saved by Excel starts with a byte-order mark, which is not a column.
    return "utf-8-sig" if info.name == "utf-8" else info.name


def read_options(encoding: str | None = None, leavers: str = "keep", dry_run: bool = False,
                 max_leavers: int | None = None) -> ImportOptions:
    """Options as a person gave them (the command's flags, the upload form's fields),
    checked, with the deployment's column names."""
    if leavers not in LEAVER_CHOICES:
        raise ImportOptionsError("Choose whether to keep or disable the people who are "
                                 "not in the file")
    if max_leavers is not None and max_leavers < 0:
        raise ImportOptionsError("The most people to disable cannot be below 0")
    return ImportOptions(
        encoding=codec_for(encoding) if encoding else None, leavers=leavers,
        dry_run=bool(dry_run), max_leavers=max_leavers,
        columns=dict(current_app.config.get("STAFF_IMPORT_COLUMNS") or {}))


def column_names(options: ImportOptions) -> dict[str, str]:
    if options.columns is not None:
        return options.columns
    return dict(current_app.config.get("STAFF_IMPORT_COLUMNS") or {})
