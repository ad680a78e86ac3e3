"""What the lab's orchestration may use of okta_sim, besides okta_sim.app.create_app.

The lab drives okta_sim over HTTP only; what it must *know* (to sign in, to click
the console by its labels, to validate a scenario before it runs) it reads here,
so every label, login and format lives once, in okta_sim. An architecture test
(tests/architecture) keeps the lab from importing anything else of okta_sim.
"""

from __future__ import annotations

from okta_sim.api_v1.log_query import RETENTION as LOG_RETENTION
from okta_sim.apps import SERVICE_ATTRIBUTES, attribute_label
from okta_sim.catalog import CYBOZU as CYBOZU_APP
from okta_sim.catalog import search as search_catalog
from okta_sim.console.menu import section_of as menu_section_of
from okta_sim.console.people import PROFILE_FORM
from okta_sim.directory.model import PROFILE_FIELDS
from okta_sim.provisioning.records import DISABLE, ENABLE
from okta_sim.seed import ADMIN_LOGIN, DEFAULT_ADMIN_PASSWORD
from okta_sim.usernames import FORMATS as USERNAME_FORMATS
from okta_sim.usernames import UPDATE_ON as USERNAME_UPDATE_ON

__all__ = [
    "ADMIN_LOGIN",  # the org's administrator (demo data, and every scenario's lab)
    "CYBOZU_APP",  # the App Catalog key of the Cybozu (cybozu.com) app
    "DEFAULT_ADMIN_PASSWORD",
    "DISABLE",  # an assignment's service values
    "ENABLE",
    "LOG_RETENTION",  # how far back /api/v1/logs answers (a timedelta)
    "PROFILE_FIELDS",  # the attributes of Okta's user profile
    "PROFILE_FORM",  # the person form's fields: (attribute, label)
    "SERVICE_ATTRIBUTES",  # the app's service attributes: (attribute, Profile Editor label)
    "USERNAME_FORMATS",  # key -> (console label, Okta Expression Language template or None)
    "USERNAME_UPDATE_ON",  # "Update application username on": key -> (console label, pushStatus)
    "attribute_label",
    "menu_section_of",  # the side menu's section holding an entry ("Applications" -> "Applications")
    "search_catalog",
]
