"""An external SCIM 2.0 target: okta_sim provisioning into a server the lab did not start.

The setup article advises trying the setup "on a cybozu.com testing environment" before
production; QA points a scenario at their own test tenant (or any SCIM 2.0 server) with its
SCIM endpoint and an API token. The token is a real credential: it is read from an
environment variable or a file, never from the command line (shell history, process
lists), and the runner masks it in everything the lab writes (lab.replay.runner).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# A cybozu.com environment's address: Okta's Cybozu app takes only its subdomain ("Domain Name").
CYBOZU_HOST = re.compile(r"^(?P<subdomain>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\.cybozu\.com$")


class TargetError(ValueError):
    """The target cannot be used as given; the message says what to change (never the token)."""


@dataclass(frozen=True)
class ExternalTarget:
    scim_url: str
    token: str = field(repr=False)

    @property
    def domain(self) -> str | None:
        """The "Domain Name" Okta's Cybozu app needs for this endpoint: the cybozu.com subdomain
        (None for another server: any Domain Name then leads to the one URL)."""
        found = CYBOZU_HOST.match(urlsplit(self.scim_url).hostname or "")
        return found.group("subdomain") if found else None

    @property
    def scim_url_template(self) -> str:
        """okta_sim's SCIM_URL_TEMPLATE: every app's pushes go to the target's URL."""
        return self.scim_url.replace("{", "{{").replace("}", "}}")

    @property
    def loopback(self) -> bool:
        """Whether the server is on this machine: only then can okta_sim leave from its loopback
        egress addresses (127.0.0.11, ...); a socket bound to one cannot reach another host."""
        host = urlsplit(self.scim_url).hostname or ""
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False

    def describe(self) -> str:
        """What reports name: the URL, never the token."""
        return f"external SCIM target {self.scim_url}"


def check_url(url: str) -> str:
    """The endpoint as Okta would use it: http(s), a host, no credentials, query or fragment."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetError(
            f"--scim-url must be an http:// or https:// URL with a host, e.g. https://example.cybozu.com/scim/v2, not {url!r}"
        )
    if parts.username is not None or parts.password is not None:
        raise TargetError(
            "--scim-url must not hold credentials (user:password@): give the token with --scim-token-env or --scim-token-file"
        )
    if parts.query or parts.fragment:
        raise TargetError("--scim-url is the SCIM base URL, without a query string or fragment")
    return url.strip().rstrip("/")


def read_target(
    url: str,
    *,
    token_env: str | None = None,
    token_file: str | None = None,
    environ: Mapping[str, str] = os.environ,
) -> ExternalTarget:
    """The target from ``--scim-url`` and exactly one of ``--scim-token-env`` / ``--scim-token-file``."""
    scim_url = check_url(url)
    if (token_env is None) == (token_file is None):
        raise TargetError(
            "--scim-url needs the API token from exactly one of --scim-token-env VAR or --scim-token-file FILE"
        )
    if token_env is not None:
        token = environ.get(token_env, "").strip()
        if not token:
            raise TargetError(f"the environment variable {token_env} (--scim-token-env) is not set or empty")
    else:
        try:
            token = Path(str(token_file)).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            raise TargetError(f"cannot read the token file {token_file}: {type(error).__name__}") from None
        if not token:
            raise TargetError(f"the token file {token_file} is empty")
    if not (token.isascii() and token.isprintable()) or " " in token:
        raise TargetError(
            "the API token must be one word of printable ASCII characters (it travels in an HTTP header)"
        )
    return ExternalTarget(scim_url, token)


# `lab run` and pytest's scenario items take the same options (argparse's add_argument and
# pytest's addoption both take these keywords).
OPTIONS = (
    (
        "--scim-url",
        "URL",
        "run Okta's side against this external SCIM 2.0 endpoint (e.g. a cybozu.com test "
        "tenant's SCIM Endpoint) instead of cybozu_sim; cybozu.com's side is reported not applicable",
    ),
    ("--scim-token-env", "VAR", "the environment variable that holds the target's API token"),
    ("--scim-token-file", "FILE", "a file that holds the target's API token"),
)


def add_options(add: Callable[..., object]) -> None:
    for name, metavar, text in OPTIONS:
        add(name, metavar=metavar, default=None, help=text)


def from_options(url: str | None, token_env: str | None, token_file: str | None) -> ExternalTarget | None:
    """The target the options name, or None without ``--scim-url``."""
    if url is None:
        if token_env is not None or token_file is not None:
            raise TargetError("--scim-token-env and --scim-token-file go with --scim-url")
        return None
    return read_target(url, token_env=token_env, token_file=token_file)
