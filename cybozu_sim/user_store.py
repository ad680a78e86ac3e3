"""A tenant's users: plain JSON dicts in memory, written through the lab's Store.

Each tenant's users are loaded once from the store's ``users`` collection and
then served from memory, indexed by id and by login name (userName is
case-sensitive at cybozu.com, so the index key is the exact login name). Every
write goes through ``store.transaction()``, which holds the store's lock, so
the uniqueness check and the insert of a create are one atomic step under the
threaded server. Stored users are never changed in place: a write replaces the
dict, so a reader holding one sees a consistent user.

Each user can also carry *annotations*: server-side flags the protocol never
shows (which users an IdP has synced, which are held from it). They live in
the same document as the user, so setting one costs one document write.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from simcore.entropy import Entropy
from simcore.store import Collection, Store

USERS_TABLE = "users"

Clock = Callable[[], datetime]


class LoginTaken(Exception):
    """A create or update would give a second user the same login name."""

    def __init__(self, login: str, holder: str) -> None:
        super().__init__(login)
        self.login = login
        self.holder = holder  # the id of the user that has it


def timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with a Z, as meta.created / meta.lastModified are served."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat() + "Z"


def upgrade_legacy_documents(store: Store) -> None:
    """Give documents written by the scim2-server storage the top-level ``id`` the collection keys on.

    Data folders created before cybozu_sim had its own SCIM service keep
    working: their documents were ``{"partition", "resource", "annotations"}``.
    """
    with store.transaction() as db:
        table = db.table(USERS_TABLE)
        for doc in table:
            if "id" not in doc and isinstance(doc.get("resource"), dict):
                table.update({"id": doc["resource"].get("id")}, doc_ids=[doc.doc_id])


class UserStore:
    """The users of one tenant (a partition of the ``users`` collection)."""

    def __init__(
        self, collection: Collection, partition: str, clock: Clock, entropy: Entropy | None = None
    ) -> None:
        """``entropy`` draws the users' ids (default: the OS's random source)."""
        self._collection = collection
        self._store = collection.store
        self.lock = collection.store.lock
        self._partition = partition
        self._clock = clock
        self._entropy = entropy or Entropy()
        self._users: dict[str, dict[str, Any]] = {}
        self._by_login: dict[str, str] = {}
        self._annotations: dict[str, dict[str, Any]] = {}
        self._annotated: dict[str, set[str]] = {}  # annotation name -> ids that carry it
        for doc in collection.find(lambda d: d.get("partition") == partition):
            user = doc["resource"]
            self._users[user["id"]] = user
            self._by_login[user["userName"]] = user["id"]
            for name, value in (doc.get("annotations") or {}).items():
                self._remember(user["id"], name, value)

    # -- reads (no copies: callers must not change what they get) ----------------

    def get(self, user_id: str) -> dict[str, Any] | None:
        """The stored user with this id (not a copy), or None."""
        return self._users.get(user_id)

    def by_login(self, login: str) -> dict[str, Any] | None:
        """The stored user with this exact login name (not a copy), or None: one dict lookup."""
        user_id = self._by_login.get(login)
        return None if user_id is None else self._users.get(user_id)

    def all(self) -> list[dict[str, Any]]:
        """Every user, in the order they were created."""
        with self.lock:
            return list(self._users.values())

    def __len__(self) -> int:
        return len(self._users)

    # -- writes ----------------------------------------------------------------------

    def create(self, user: dict[str, Any], annotations: dict[str, Any] | None = None) -> dict[str, Any]:
        """Store a new user with a fresh id and meta; raise LoginTaken if its login name is in use."""
        with self._store.transaction():
            holder = self._by_login.get(user["userName"])
            if holder is not None:
                raise LoginTaken(user["userName"], holder)
            now = timestamp(self._clock())
            # Keyed by the login: Okta's concurrent pushes create users in any order (simcore.entropy).
            user_id = self._entropy.uuid4(key=f"user:{self._partition}:{user['userName']}").hex
            stored = {
                "schemas": user["schemas"],
                "id": user_id,
                **{k: v for k, v in user.items() if k not in ("schemas", "id", "meta")},
                "meta": {"resourceType": "User", "created": now, "lastModified": now},
            }
            self._users[user_id] = stored
            self._by_login[stored["userName"]] = user_id
            for name, value in (annotations or {}).items():
                self._remember(user_id, name, value)
            self._write(user_id)
            return stored

    def replace(
        self, user_id: str, user: dict[str, Any], annotations: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Replace a stored user (id and meta.created kept, lastModified now); KeyError if it is gone."""
        with self._store.transaction():
            current = self._users[user_id]
            login = user["userName"]
            holder = self._by_login.get(login)
            if holder is not None and holder != user_id:
                raise LoginTaken(login, holder)
            stored = {
                "schemas": user["schemas"],
                "id": user_id,
                **{k: v for k, v in user.items() if k not in ("schemas", "id", "meta")},
                "meta": {**current["meta"], "lastModified": timestamp(self._clock())},
            }
            if current["userName"] != login:
                self._by_login.pop(current["userName"], None)
                self._by_login[login] = user_id
            self._users[user_id] = stored
            for name, value in (annotations or {}).items():
                self._remember(user_id, name, value)
            self._write(user_id)
            return stored

    def delete(self, user_id: str) -> bool:
        """Remove a user and its annotations; False if there was none."""
        with self._store.transaction():
            user = self._users.pop(user_id, None)
            if user is None:
                return False
            if self._by_login.get(user["userName"]) == user_id:
                del self._by_login[user["userName"]]
            for name in self._annotations.pop(user_id, {}):
                self._annotated[name].discard(user_id)
            self._collection.delete(user_id)
            return True

    def _write(self, user_id: str) -> None:
        self._collection.put(
            {
                "id": user_id,
                "partition": self._partition,
                "resource": self._users[user_id],
                "annotations": self._annotations.get(user_id, {}),
            }
        )

    # -- annotations -----------------------------------------------------------------

    def _remember(self, user_id: str, name: str, value: Any) -> None:
        holders = self._annotated.setdefault(name, set())
        if value is None:
            self._annotations.get(user_id, {}).pop(name, None)
            holders.discard(user_id)
        else:
            self._annotations.setdefault(user_id, {})[name] = value
            holders.add(user_id)

    def annotations(self, user_id: str) -> dict[str, Any]:
        """The annotations of a user (a copy)."""
        with self.lock:
            return dict(self._annotations.get(user_id, {}))

    def annotated(self, name: str) -> frozenset[str]:
        """The ids of the users that carry an annotation."""
        with self.lock:
            return frozenset(self._annotated.get(name, ()))

    def has_annotation(self, user_id: str, name: str) -> bool:
        return user_id in self._annotated.get(name, ())

    def annotate(self, user_id: str, **values: Any) -> None:
        """Set annotations of a stored user (``None`` removes one); KeyError if there is no such user."""
        with self._store.transaction():
            if user_id not in self._users:
                raise KeyError(user_id)
            for name, value in values.items():
                self._remember(user_id, name, value)
            self._write(user_id)

    def clear_annotation(self, name: str) -> None:
        """Remove an annotation from every user, in one transaction."""
        with self._store.transaction():
            for user_id in self.annotated(name):
                self.annotate(user_id, **{name: None})
