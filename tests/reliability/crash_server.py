"""cybozu_sim on a file store in a process of its own, for the tests that kill it with SIGKILL.

``python -m tests.reliability.crash_server DATA_DIR LAB_KEY`` serves on 127.0.0.1
and an ephemeral port, prints one JSON line ``{"url": ...}`` once it accepts
connections, and runs until it is killed. Two environment variables shape the store:

- ``CRASH_COMPACT_MIN_BYTES``: the journal size from which compaction may happen
  (small values make compactions frequent, so kills land around them);
- ``CRASH_IN_COMPACTION=N``: SIGKILL the process itself in its Nth journal
  replacement, after the new snapshot was renamed into place and before the
  journal that follows it is (on a store that has a journal already, the Nth
  compaction; a brand-new store's first write is a replacement too).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from pathlib import Path

import cybozu_sim.app
from lab.server import ServerThread
from simcore import journal


def crash_in_compaction(at: int) -> None:
    """Wrap the storage's atomic replacement so that the ``at``-th journal replacement never happens."""
    replace = journal.replace_durably
    journal_replacements = 0

    def replace_or_die(path: Path, payload: bytes) -> None:
        nonlocal journal_replacements
        if path.name.endswith(journal.JOURNAL_SUFFIX):
            journal_replacements += 1
            if journal_replacements == at:
                os.kill(os.getpid(), signal.SIGKILL)
        replace(path, payload)

    journal.replace_durably = replace_or_die  # type: ignore[assignment]


def main(data_dir: str, lab_key: str) -> None:
    if "CRASH_COMPACT_MIN_BYTES" in os.environ:
        journal.COMPACT_MIN_BYTES = int(os.environ["CRASH_COMPACT_MIN_BYTES"])
    if "CRASH_IN_COMPACTION" in os.environ:
        crash_in_compaction(int(os.environ["CRASH_IN_COMPACTION"]))
    app = cybozu_sim.app.create_app({"DATA_FILE": Path(data_dir) / "cybozu.json", "LAB_KEY": lab_key})
    server = ServerThread(app).start()
    print(json.dumps({"url": server.url}), flush=True)
    threading.Event().wait()  # until SIGKILL


if __name__ == "__main__":
    main(*sys.argv[1:3])
