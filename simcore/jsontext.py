"""JSON as RFC 8259 defines it, for every request body the lab reads (/api/v1, SCIM, /_lab/).

Python's json module is more lenient than the clients and servers the lab
stands in for: it reads NaN and Infinity (Okta's Jackson and RFC 8259 do
not), and an escaped lone surrogate (``"\\ud800"``), which no UTF-8 encoder
can write back, so storing one would break every later save of a file store
and every push to cybozu.com. Deeply nested arrays exhaust the recursion
limit. Each of these is a ValueError here, which every caller already turns
into its protocol's 400.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn


def _refuse(constant: str) -> NoReturn:
    raise ValueError(f"{constant} is not a JSON value")


_DECODER = json.JSONDecoder(parse_constant=_refuse)  # built once: json.loads(**kw) builds one per call


def loads(data: str | bytes) -> Any:
    """Parse one JSON text strictly; bytes must be UTF-8. Raises ValueError with the reason."""
    try:
        return _DECODER.decode(data.decode("utf-8") if isinstance(data, bytes) else data)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def check_storable(value: Any) -> None:
    """Raise ValueError (UnicodeEncodeError) if a string in ``value`` holds a lone surrogate."""
    json.dumps(value, ensure_ascii=False).encode("utf-8")
