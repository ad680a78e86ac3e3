"""Domain errors of okta_sim, carrying Okta's error code and summary.

/api/v1 renders them as Okta's error JSON; the console shows the summary.
"""

from __future__ import annotations


class OktaError(Exception):
    status = 400
    code = "E0000001"
    summary_prefix = "Api validation failed"

    def __init__(self, message: str, causes: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.causes = causes or []


class Invalid(OktaError):
    """E0000001: the request is understood but a value is not acceptable."""


class NotFound(OktaError):
    status = 404
    code = "E0000007"


class Conflict(OktaError):
    status = 400
    code = "E0000001"


class Forbidden(OktaError):
    status = 403
    code = "E0000006"


class DeleteAppForbidden(OktaError):
    """E0000056 "Delete application forbidden." (403): an app is deactivated before it is deleted
    (okta-developer-docs, data/error-codes.json)."""

    status = 403
    code = "E0000056"


class ActivationFailed(OktaError):
    """E0000016 "Activation failed because the user is already active" (403)."""

    status = 403
    code = "E0000016"


class UnlockForbidden(OktaError):
    """E0000032 "Unlock is not allowed for this user." (403)."""

    status = 403
    code = "E0000032"


class StatusForbidden(OktaError):
    """E0000038 "This operation is not allowed in the user's current status." (403)."""

    status = 403
    code = "E0000038"
