"""Serve one simulator in its own process: ``python -m bench.serve okta|cybozu CONFIG_JSON``.

The benchmarks run each app in a process of its own, as `lab up` users and a
real deployment would see them: okta_sim and cybozu_sim then use a core each
instead of sharing one interpreter, and each process's peak memory is its own.
Prints the URL on the first line of stdout, then serves until terminated.
"""

from __future__ import annotations

import json
import signal
import sys
import threading

from lab.server import ServerThread


def main(argv: list[str]) -> int:
    name, config = argv[0], json.loads(argv[1]) if len(argv) > 1 else {}
    if name == "okta":
        import okta_sim.app

        app = okta_sim.app.create_app(config)
    elif name == "cybozu":
        import cybozu_sim.app

        app = cybozu_sim.app.create_app(config)
    else:
        raise SystemExit(f"unknown app {name!r}: okta or cybozu")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with ServerThread(app) as server:
        print(server.url, flush=True)
        stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
