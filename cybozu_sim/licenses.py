"""cybozu.com services and the tenant's licences for them.

Service codes are those of cybozu's User API. Exceeding a licence does not
refuse anything in the real product (a daily warning email, the service stops
later), so the lab only reports the excess. Only active users use a licence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cybozu_sim.errors import Invalid

SERVICES: dict[str, str] = {
    "kintone": "kintone",
    "garoon": "Garoon",
    "office": "Cybozu Office",
    "mailwise": "MailWise",
    "secure_access": "Secure Access",
}


def service_name(code: str) -> str:
    return SERVICES.get(code, code)


def parse_licenses(value: object) -> dict[str, int]:
    """Validate ``{service code: licensed users}`` as given by the lab or a scenario."""
    if not isinstance(value, Mapping) or not value:
        raise Invalid("licenses must name at least one service: {service code: licensed users}")
    licenses: dict[str, int] = {}
    for code, seats in value.items():
        if code not in SERVICES:
            raise Invalid(f"unknown service {code!r}; services are {', '.join(SERVICES)}")
        if not isinstance(seats, int) or isinstance(seats, bool) or not 1 <= seats <= 1_000_000:
            raise Invalid(f"licensed users for {code} must be an integer from 1 to 1000000")
        licenses[code] = seats
    return licenses


@dataclass(frozen=True)
class LicenseUsage:
    code: str
    name: str
    licensed: int
    used: int

    @property
    def exceeded(self) -> bool:
        return self.used > self.licensed

    @property
    def warning(self) -> str | None:
        if not self.exceeded:
            return None
        return f"{self.name}: {self.used} active users use the service but only {self.licensed} are licensed."


def usage(
    licenses: Mapping[str, int], users: Iterable[tuple[bool, Mapping[str, bool]]]
) -> list[LicenseUsage]:
    """Count active users per licensed service; ``users`` yields (active, services)."""
    used = dict.fromkeys(licenses, 0)
    for active, services in users:
        if not active:
            continue
        for code, enabled in services.items():
            if enabled and code in used:
                used[code] += 1
    return [LicenseUsage(code, service_name(code), licenses[code], used[code]) for code in licenses]
