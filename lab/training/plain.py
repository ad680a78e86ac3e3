""""The lab sees" in a trainee's words: the scenario engine's differences are written for QA
(keys and Python literals: ``api_tokens: expected 1, got 0``); a trainee reads the consoles'
labels instead (``API tokens: should be 1, is 0``)."""

from __future__ import annotations

import re

# The expectation keys the exercises use, as the consoles label them.
LABELS = {
    "api_tokens": "API tokens",
    "propagate_provisioning": '"Propagate Provisioning"',
    "domain_name": '"Domain Name"',
    "api_integration": '"Enable API integration"',
    "to_app": '"Provisioning to App"',
    "create": '"Create Users"',
    "update": '"Update User Attributes"',
    "deactivate": '"Deactivate Users"',
    "attributes": "attributes in the Profile Editor",
    "sync_state": "sync",
    "user_name": '"User Name"',
    "username_format": '"Application username format"',
    "services": "services",
    "status": "status",
    "ip_restriction": "IP address restrictions",
}
WORDS = {"True": "on", "False": "off", "None": "not set"}
LIST = re.compile(r"\[((?:'[^']*'(?:, )?)*)\]")
QUOTED = re.compile(r"'([^']*)'")
KEY = re.compile(r"\b(" + "|".join(map(re.escape, LABELS)) + r")(?=: |\b)")
LITERAL = re.compile(r"\b(True|False|None)\b")


def plain(detail: str) -> str:
    """``detail`` with keys as the consoles' labels, lists and quotes as text, booleans as on/off."""
    text = LIST.sub(lambda m: ", ".join(QUOTED.findall(m.group(1))) or "none", detail)
    text = QUOTED.sub(r'"\1"', text)
    text = LITERAL.sub(lambda m: WORDS[m.group(1)], text)
    text = KEY.sub(lambda m: LABELS[m.group(1)], text)
    for said, meant in ((": expected to ", ": should "), (": expected an ", ": should have an "),
                        (": expected a ", ": should have a "), (": expected no ", ": should have no "),
                        (": expected ", ": should be "), (", got ", ", is ")):  # fmt: skip
        text = text.replace(said, meant)
    return text
