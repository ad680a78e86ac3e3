"""Domain errors of cybozu_sim: each carries the message an administrator sees."""


class CybozuError(Exception):
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Invalid(CybozuError):
    status = 400


class NotFound(CybozuError):
    status = 404


class Conflict(CybozuError):
    status = 409
