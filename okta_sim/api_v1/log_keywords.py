"""The System Log's ``q``: keywords every one of which an event must mention.

Okta's System Log query guide: "keyword matching against a response object's attribute values.
All supplied keywords must be matched exactly", "case-insensitive", and a hyphenated value also
matches each of its parts (``XOxBw-2JIRnCFd0gG0GjHAAABjY`` matches ``XOxBw``). The API reference
(listLogEvents): at most 40 characters per keyword and 10 keywords.

What a value's words are is the lab's reading (inference): the whole value, each word between
blanks, each word without the punctuation around it (``failed:``, ``(cybozu.com)``), and the
parts of a hyphenated word.
"""

from __future__ import annotations

from typing import Any

from okta_sim.errors import Invalid

LONGEST = 40
MOST = 10
TOO_LONG = (
    f"Freeform search cannot contain items longer than {LONGEST} characters. Please shorten the items "
    "in your search or use an advanced filter to query by specific fields."
)
# Okta documents the limit, not its message (inference, worded after TOO_LONG).
TOO_MANY = (
    f"Freeform search cannot contain more than {MOST} items. Please remove items from your search "
    "or use an advanced filter to query by specific fields."
)
AROUND_WORDS = "\"'()[]{}<>,;:.!?"


def parse(q: str) -> tuple[str, ...]:
    """The keywords of ``q`` (blank-separated, compared case-insensitively); too long or too many
    is Okta's E0000001."""
    keywords = q.split()
    if any(len(word) > LONGEST for word in keywords):
        raise refused(TOO_LONG)
    if len(keywords) > MOST:
        raise refused(TOO_MANY)
    return tuple(word.casefold() for word in keywords)


def refused(message: str) -> Invalid:
    return Invalid(f"Api validation failed: 'q': {message}", [f"q: {message}"])


def mentions(event: dict[str, Any], keywords: tuple[str, ...]) -> bool:
    if not keywords:
        return True
    terms = set(words(event))
    return all(keyword in terms for keyword in keywords)


def words(value: Any) -> list[str]:
    """The terms a keyword can match in a value, an object's or a list's values included."""
    if isinstance(value, dict):
        return [term for member in value.values() for term in words(member)]
    if isinstance(value, list):
        return [term for member in value for term in words(member)]
    if isinstance(value, bool) or value is None:
        return []
    text = str(value).casefold()
    terms = [text]
    for word in text.split():
        bare = word.strip(AROUND_WORDS)
        terms += [word, bare, *word.split("-"), *bare.split("-")]
    return terms
