"""The sections of the article in ../shared/seed/ that scenarios name in ``covers:``.

docs/coverage.md lists, for each section, the scenarios that replay it; a test
fails when a section has none.
"""

from __future__ import annotations

SECTIONS: list[str] = [
    "The User Provisioning Feature: Adding a User",
    "The User Provisioning Feature: Updating User Information",
    "The User Provisioning Feature: Deactivating a User",
    "The User Provisioning Feature: Editing a User's Services",
    "The User Provisioning Feature: Users already added into cybozu.com",
    "Limitations: Departments, Job Titles and Groups (Roles) cannot be synced",
    "Limitations: A user deleted from cybozu.com is not recreated",
    "Limitations: Log in names of synced users cannot be updated",
    "Important Notes: IP address restrictions and Okta's IP addresses",
    "STEP1: Set up for cybozu.com",
    "STEP2-1: Add the cybozu.com Application",
    "STEP2-2: Configure the API Integration Settings for cybozu.com",
    "STEP2-3: Delete Redundant Services from the Attributes List",
    "STEP2-4: Assign Users and Start the Provisioning: To sync per user",
    "STEP2-4: Assign Users and Start the Provisioning: To sync per group",
    "Setting Initial Values for Log in Names",
    "Turning off the Provisioning Feature",
    "Restarting the Provisioning Feature",
    "Running Force Sync",
    "Making cybozu.com Users Active and Inactive: Unassigning Users",
    "Making cybozu.com Users Active and Inactive: Unassigning Groups",
    "Troubleshooting: Invalid JSON: Unexpected character",
]
