"""Okta's System Log event types for pushing a user to an app, with the description Okta's
event-type catalog gives each (okta/okta-developer-docs, public/docs/okta-event-types.csv):
a real System Log shows that description as the event's displayMessage and puts the failure
in ``outcome.reason`` (support.okta.com, "SCIM provisioning error with Okta SCIM API", whose
sample event is severity ERROR, transaction type JOB, with an AppUser target)."""

from __future__ import annotations

# operation -> (eventType, displayMessage). "verify" is the lookup a create starts with.
PUSH_EVENTS: dict[str, tuple[str, str]] = {
    "create": ("application.provision.user.push", "Push new user to external application"),
    "update": ("application.provision.user.push_profile", "Push user's profile to external application"),
    "deactivate": ("application.provision.user.deactivate", "Push user deactivation to external application"),
    "reactivate": ("application.provision.user.reactivate", "Push user reactivation in external application"),
    "verify": ("application.provision.user.verify_exists", "Verify user exists in external application"),
}

# The Tasks page's text of a failed push: "<Okta error message>: <third-party error message>"
# (help.okta.com, "Troubleshoot provisioning"). The first half names the person by name
# ("Automatic provisioning of user John Doe to app Salesforce.com failed", ibid.); the lookup's
# words are support.okta.com's ("...failed: Error while verifying if user <user> exists:
# Unauthorized. Errors reported by remote server: Unauthorized"), the profile push's are quoted
# by vendors' Okta FAQs ("Automatic profile push of user Xx to app TeamOhana SCIM failed: Error
# while trying to push profile update for name@company.com..."). The create, deactivate and
# reactivate second halves are inference, in the same form.
FAILURES: dict[str, str] = {
    "verify": "Automatic provisioning of user {name} to app {app} failed: Error while verifying if user {user_name} exists",
    "create": "Automatic provisioning of user {name} to app {app} failed: Error while creating user {user_name}",
    "update": "Automatic profile push of user {name} to app {app} failed: Error while trying to push profile update for {user_name}",
    "deactivate": "Automatic deactivation of user {name} in app {app} failed: Error while trying to deactivate user {user_name}",
    "reactivate": "Automatic reactivation of user {name} in app {app} failed: Error while trying to reactivate user {user_name}",
    # Okta's own check before anything is sent: the text has no second half.
    "blank": "Automatic provisioning of user {name} to app {app} failed",
}


def failure_text(step: str, *, name: str, app: str, user_name: str, detail: str) -> str:
    """What the Tasks page says when ``step`` failed with the remote server's ``detail``."""
    return f"{FAILURES[step].format(name=name, app=app, user_name=user_name)}: {detail}"
