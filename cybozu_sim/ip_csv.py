"""The IP address list as a CSV file, in the cybozu.com Store's format.

jp.cybozu.help (list_access/ip_restrictions/enable_ip.html, "Configuring
Multiple Items Using a CSV File"): a header row "IP Address","CIDR","Memo",
then one address per row; Shift-JIS, CRLF line breaks, at most 10 MB and
2,900 rows. A file with any bad row is refused whole, each bad row named by
its line, so nothing is half imported. Shift-JIS is read as Windows'
code page 932, the Shift-JIS that Excel writes (inference).
"""

from __future__ import annotations

import csv
import io

from cybozu_sim.errors import Invalid
from cybozu_sim.ip_restriction import MAX_ENTRIES, Entry, check_entries

HEADER = ["IP Address", "CIDR", "Memo"]
ENCODING = "cp932"
CONTENT_TYPE = f"text/csv; charset={ENCODING}"
MAX_BYTES = 10 * 1024 * 1024


def read_csv(data: bytes) -> list[Entry]:
    """The entries of an uploaded file; raise Invalid naming what is wrong, by line."""
    if len(data) > MAX_BYTES:
        raise Invalid(f"The file is larger than 10 MB ({len(data):,} bytes).")
    try:
        text = data.decode(ENCODING)
    except UnicodeDecodeError as problem:
        line = data[: problem.start].count(b"\n") + 1
        raise Invalid(f"Line {line}: the file is not Shift-JIS.") from None
    if not text.strip():
        raise Invalid('The file is empty: its first row is the header row "IP Address","CIDR","Memo".')
    lines = text.split("\r\n")
    bare = next((n for n, line in enumerate(lines, start=1) if "\n" in line or "\r" in line), None)
    if bare is not None:
        raise Invalid(f"Line {bare}: line breaks must be CRLF.")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as problem:
        raise Invalid(f"The file is not a CSV file: {problem}.") from None
    if [cell.strip() for cell in rows[0]] != HEADER:
        raise Invalid('Line 1: the first row must be the header row "IP Address","CIDR","Memo".')
    body = rows[1:]
    if len(body) > MAX_ENTRIES:
        raise Invalid(
            f"The file has {len(body):,} rows after the header; at most {MAX_ENTRIES:,} can be imported."
        )
    return check_entries(enumerate(body, start=2), row="Line")


def write_csv(entries: list[Entry]) -> bytes:
    """The list as the Store exports it: the same format it imports."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(HEADER)
    for entry in entries:
        writer.writerow(entry.row)
    return out.getvalue().encode(ENCODING, errors="replace")
