"""Reading the HR export: its encoding, its separator and its header, then its rows one
at a time, so that a file of any length takes the same memory.

The encoding is the one the person named, or else detected: a byte-order mark says UTF-8,
UTF-16 or UTF-32 (and UTF-16 saved without one shows in its zero bytes); any other file is
UTF-8 when every byte of it is valid UTF-8 (plain ASCII is; Windows-1252 text with an
accent or a £ almost never is), and Windows-1252 otherwise, which is what Excel on Windows
saves as "CSV". Only --encoding (or the upload form's choice) reads anything else. The
whole file is decoded once before its rows are read, so that a byte that cannot be read
is reported with its line before anything else, never as a traceback halfway through.

The separator is sniffed from the header line: a comma, a semicolon (Excel where the
decimal mark is a comma) or a tab, whichever finds more of the columns. Column names are
matched without regard to case, surrounding spaces, or spaces, hyphens and underscores
between words ("Line Manager Email" is line_manager_email).
"""

import codecs
import csv
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import TextIOWrapper
from typing import NamedTuple

from portal.config import STAFF_COLUMNS
from portal.services.staff_import.options import ImportOptions, column_names, encoding_label

CHUNK_BYTES = 1 << 20
DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


class ExportProblem(Exception):
    """The file as a whole cannot be read; the message says why, for the person."""


class Row(NamedTuple):
    line: int
    name: str
    email: str
    department: str
    line_manager_email: str
    grade: str


@dataclass
class Export:
    encoding: str      # the Python codec it is read with
    delimiter: str
    rows: Iterator[Row]

    @property
    def encoding_label(self) -> str:
        return encoding_label(self.encoding)

    @property
    def delimiter_name(self) -> str:
        return _DELIMITER_NAMES[self.delimiter]


@contextmanager
def seekable(binary) -> Iterator:
    """The stream itself when it can be read again from the start, or a copy on disk
    (a pipe, a socket): the file is read more than once, never held in memory whole."""
    if getattr(binary, "seekable", lambda: False)():
        yield binary
        return
    with tempfile.TemporaryFile() as copy:
        shutil.copyfileobj(binary, copy, CHUNK_BYTES)
        copy.seek(0)
        yield copy


def normalised(header: str) -> str:
    return re.sub(r"[\s_\-]+", "_", header.replace("\ufeff", "").strip().casefold())


@contextmanager
def open_export(binary, options: ImportOptions) -> Iterator[Export]:
    """Open a seekable binary stream as the HR export from where it stands; raises
    ExportProblem when it cannot be read as one. The stream is left open."""
    start = binary.tell()
    codec = _encoding(binary, start, options.encoding)
    binary.seek(start)
    text = TextIOWrapper(binary, encoding=codec, newline="")
    try:
        header = text.readline()
        if not header.strip():
            raise ExportProblem("The file is empty: its first line should name the columns "
                                f"({', '.join(STAFF_COLUMNS)})")
        delimiter, positions = _header(header, column_names(options))
        yield Export(codec, delimiter, _rows(text, delimiter, positions, codec))
    finally:
        text.detach()  # the caller's stream stays open


def _encoding(binary, start: int, forced: str | None) -> str:
    head = binary.read(4096)
    binary.seek(start)
    if forced:
        _check_decodes(binary, start, forced, f"The file is not in {encoding_label(forced)}")
        return forced
    codec = next((codec for bom, codec in _BOMS if head.startswith(bom)), None)
    if codec is None:
        # UTF-16 saved without its mark: every other byte of ASCII text is zero.
        even, odd = head[0::2].count(0), head[1::2].count(0)
        half = len(head) // 2
        if half and even > half * 0.3 and odd < half * 0.05:
            codec = "utf-16-be"
        elif half and odd > half * 0.3 and even < half * 0.05:
            codec = "utf-16-le"
    if codec is not None:
        _check_decodes(binary, start, codec, f"The file is not in {encoding_label(codec)}")
        return codec
    if _undecodable_line(binary, start, "utf-8") is None:
        return "utf-8"
    _check_decodes(binary, start, "cp1252", "The file is neither in UTF-8 nor in "
                   "Windows-1252 (choose its encoding)")
    return "cp1252"


def _check_decodes(binary, start: int, codec: str, problem: str) -> None:
    line = _undecodable_line(binary, start, codec)
    if line is not None:
        raise ExportProblem(f"{problem}: line {line} cannot be read")


def _undecodable_line(binary, start: int, codec: str) -> int | None:
    """The first line that cannot be decoded in `codec`, or None when all can."""
    binary.seek(start)
    decoder = codecs.getincrementaldecoder(codec)()
    lines = 0
    try:
        while True:
            chunk = binary.read(CHUNK_BYTES)
            try:
                lines += decoder.decode(chunk, final=not chunk).count("\n")
            except UnicodeDecodeError as error:
                # Everything before the bad byte decodes: count its lines.
                good = error.object[:error.start].decode(codec, errors="replace")
                return lines + good.count("\n") + 1
            if not chunk:
                return None
    finally:
        binary.seek(start)


def _header(line: str, mapping: dict[str, str]) -> tuple[str, dict[str, int]]:
    """The separator and where each portal column is, or ExportProblem naming what is
    missing. A column the deployment maps is taken before one of the portal's name."""
    mapped = {normalised(hr): column for hr, column in mapping.items()}
    best = None
    for delimiter in DELIMITERS:
        names = [normalised(n) for n in next(csv.reader([line], delimiter=delimiter))]
        positions: dict[str, int] = {}
        twice = []
        for wanted in (mapped, {c: c for c in STAFF_COLUMNS}):
            found: dict[str, int] = {}
            for index, name in enumerate(names):
                column = wanted.get(name)
                if column is None or column in positions:
                    continue
                if column in found:
                    twice.append(column)
                found.setdefault(column, index)
            positions |= found
        if best is None or len(positions) > len(best[1]):
            best = (delimiter, positions, twice)
    delimiter, positions, twice = best
    if twice:
        raise ExportProblem(f"The file has more than one column for {', '.join(twice)}: "
                            "keep one of each")
    missing = [c for c in STAFF_COLUMNS if c not in positions]
    if missing:
        def label(column):
            return " or ".join([hr for hr, c in mapping.items() if c == column] + [column])
        raise ExportProblem(f"The file has no column: {', '.join(map(label, missing))} "
                            f"(expected {', '.join(map(label, STAFF_COLUMNS))})")
    return delimiter, positions


def _rows(text, delimiter: str, positions: dict[str, int], codec: str) -> Iterator[Row]:
    reader = csv.reader(text, delimiter=delimiter)
    where = [positions[c] for c in STAFF_COLUMNS]
    line = 1
    try:
        for fields in reader:
            line = reader.line_num + 1  # the header was read before the reader began
            if not any(f.strip() for f in fields):
                continue
            values = [fields[i].strip() if i < len(fields) else "" for i in where]
            yield Row(line, *values)
    except csv.Error as error:
        raise ExportProblem(f"Line {reader.line_num + 1} cannot be read as CSV: {error}. "
                            "Nothing was read after it") from None
    except UnicodeDecodeError:
        # Checked before the rows were read; only a file changed meanwhile gets here.
        raise ExportProblem(f"The file is not in {encoding_label(codec)}: the line "
                            f"after line {line} cannot be read") from None
