"""The Admin Console's side menu: Okta's collapsible sections and the pages under each.

Kept as data so the template draws it and the UI driver finds a page's section by the
same names (a link inside a closed section is hidden, as in Okta, so a click must open
its section first).
"""

from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    key: str  # what a page sets as ``menu`` to mark itself current
    endpoint: str
    label: str


# Okta's sections in Okta's order, as help.okta.com writes its paths ("Applications >
# Applications", "Directory > People", "Dashboard > Tasks", "Security > API", "Reports >
# System Log"); the entries are the pages the lab has.
SECTIONS: dict[str, list[Entry]] = {
    "Dashboard": [
        Entry("dashboard", "console.sign_in.dashboard", "Dashboard"),
        Entry("tasks", "console.tasks.index", "Tasks"),
    ],
    "Directory": [
        Entry("people", "console.people.index", "People"),
        Entry("groups", "console.groups.index", "Groups"),
    ],
    "Applications": [Entry("applications", "console.applications.index", "Applications")],
    "Security": [Entry("api", "console.security_api.tokens", "API")],
    "Reports": [Entry("syslog", "console.system_log.index", "System Log")],
    "Settings": [Entry("account", "console.settings.account", "Account")],
}


def section_of(label: str) -> str:
    """The section whose entry is labelled ``label`` (KeyError names the labels there are)."""
    for section, entries in SECTIONS.items():
        if any(entry.label == label for entry in entries):
            return section
    known = ", ".join(entry.label for entries in SECTIONS.values() for entry in entries)
    raise KeyError(f"no menu entry {label!r} (there are: {known})")
