"""cybozu_sim.ip_csv: the Store's CSV format ("IP Address","CIDR","Memo"; Shift-JIS, CRLF,
10 MB, 2,900 rows); a bad file is refused whole, each bad row named by its line."""

from __future__ import annotations

import pytest

from cybozu_sim.errors import Invalid
from cybozu_sim.ip_csv import read_csv, write_csv
from cybozu_sim.ip_restriction import Entry

HELP_EXAMPLE = '"IP Address","CIDR","Memo"\r\n"192.0.2.8","","Tokyo office"\r\n"198.51.100.0","24","Osaka office"\r\n'


def test_the_help_pages_example_reads_and_writes_back_byte_for_byte() -> None:
    entries = read_csv(HELP_EXAMPLE.encode("shift_jis"))
    assert entries == [Entry("192.0.2.8", None, "Tokyo office"), Entry("198.51.100.0", 24, "Osaka office")]
    assert write_csv(entries) == HELP_EXAMPLE.encode("shift_jis")


def test_japanese_memos_travel_in_shift_jis() -> None:
    data = '"IP Address","CIDR","Memo"\r\n"192.0.2.8","","東京オフィス"\r\n'.encode("shift_jis")
    assert read_csv(data)[0].memo == "東京オフィス"
    assert write_csv(read_csv(data)) == data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b'"IP Address","CIDR","Memo"\r\n"192.0.2.8","","\x82"\r\n', "Line 2: the file is not Shift-JIS."),
        (b'"IP Address","CIDR","Memo"\n"192.0.2.8","",""\n', "Line 1: line breaks must be CRLF."),
        (b'"IP","CIDR","Memo"\r\n', 'Line 1: the first row must be the header row "IP Address","CIDR","Memo".'),
        (b'"IP Address","CIDR","Memo"\r\n"192.0.2.8","24"\r\n', "Line 2: a row has 3 columns (IP Address, CIDR, Memo), not 2."),
    ],
)
def test_a_malformed_file_says_what_is_wrong(data: bytes, message: str) -> None:
    with pytest.raises(Invalid, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        read_csv(data)


def test_every_bad_row_is_reported_by_its_line() -> None:
    data = b'"IP Address","CIDR","Memo"\r\n"192.0.2.8","",""\r\n"192.0.2.999","",""\r\n\r\n"10.0.0.0","40",""\r\n'
    with pytest.raises(Invalid) as refused:
        read_csv(data)
    assert str(refused.value) == (
        "Line 3: '192.0.2.999' is not an IP address. Line 5: the CIDR '40' is not a number from 0 to 32."
    )


def test_the_size_and_row_limits() -> None:
    rows = "".join(f'"10.{n // 256}.{n % 256}.1","",""\r\n' for n in range(2901))
    with pytest.raises(Invalid, match="2,901 rows after the header; at most 2,900"):
        read_csv(('"IP Address","CIDR","Memo"\r\n' + rows).encode())
    assert len(read_csv(('"IP Address","CIDR","Memo"\r\n' + rows[: rows.rindex('"10.')]).encode())) == 2900
    with pytest.raises(Invalid, match="larger than 10 MB"):
        read_csv(b'"IP Address","CIDR","Memo"\r\n' + b" " * (10 * 1024 * 1024))
