"""Where an app's ids, API tokens and salts come from: the OS's random source, or a seed.

A lab that people reach (``lab up``) must hand out API tokens nobody can guess, so
an unseeded Entropy draws from :mod:`secrets` (the OS's CSPRNG). A scenario's
sandbox is seeded (``setup.seed``), so that two runs of a scenario hand out the same
ids and tokens and write the same reports: its tokens are predictable to anyone who
knows the seed, which is why only a sandbox, on 127.0.0.1 for one run, is seeded.

A seeded draw must not depend on the threads' timing: Okta's push workers, and the
SCIM requests they send to cybozu.com, run concurrently. So a draw is not the next
number of one shared stream but a function of (seed, room, key, n): ``key`` names
what the value is for (a login, a subdomain, the push job it is drawn in; see
:meth:`Entropy.scope`) and ``n`` counts the earlier draws with that key. The lab
never draws for one key on two threads at once (one push per app user at a time,
one request per login), so ``n`` is the same on every run.
"""

from __future__ import annotations

import base64
import random
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

_SYSTEM = random.SystemRandom()  # what the secrets module draws from


class Entropy:
    """One app's random source; ``room`` keeps two apps given one seed apart."""

    def __init__(self, seed: int | None = None, room: str = "") -> None:
        self.seed = seed
        self.room = room
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._local = threading.local()

    @property
    def seeded(self) -> bool:
        return self.seed is not None

    def source(self, key: str = "") -> random.Random:
        """A random source for one value: the OS's, or one derived from the seed and the key."""
        if self.seed is None:
            return _SYSTEM
        scoped = "/".join([*getattr(self._local, "scopes", []), key])
        with self._lock:
            count = self._counts.get(scoped, 0)
            self._counts[scoped] = count + 1
        # A str seed goes through SHA-512, whatever PYTHONHASHSEED is: the same in every process.
        return random.Random(f"{self.seed}\0{self.room}\0{scoped}\0{count}")

    def text(self, alphabet: Sequence[str], length: int, key: str = "") -> str:
        rng = self.source(key)
        return "".join(rng.choice(alphabet) for _ in range(length))

    def token_bytes(self, nbytes: int, key: str = "") -> bytes:
        return self.source(key).randbytes(nbytes)

    def token_urlsafe(self, nbytes: int, key: str = "") -> str:
        """As :func:`secrets.token_urlsafe`."""
        return base64.urlsafe_b64encode(self.token_bytes(nbytes, key)).rstrip(b"=").decode("ascii")

    def token_hex(self, nbytes: int, key: str = "") -> str:
        """As :func:`secrets.token_hex`."""
        return self.token_bytes(nbytes, key).hex()

    def uuid4(self, key: str = "") -> uuid.UUID:
        return uuid.UUID(bytes=self.token_bytes(16, key), version=4)

    @contextmanager
    def scope(self, name: str) -> Iterator[None]:
        """Draws on this thread meanwhile are keyed under ``name`` too (a push job's key), so
        concurrent jobs do not take each other's turns."""
        scopes = getattr(self._local, "scopes", [])
        self._local.scopes = [*scopes, name]
        try:
            yield
        finally:
            self._local.scopes = scopes

    def reset(self) -> None:
        """Start the counts again: a reset lab hands out the ids of a fresh one."""
        with self._lock:
            self._counts.clear()
