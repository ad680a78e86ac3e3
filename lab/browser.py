"""Find a Chromium for Playwright without ever downloading one at test time.

Order (docs/lab.md, "Browsers"): Playwright's own browser if it is installed,
else a system Chromium. ``--install`` provides one when neither exists:
``playwright install chromium`` where the network allows it, else Debian's
``chromium`` package when running as root.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

APT_LOCK_WAIT = 120  # seconds apt-get itself waits for another install's lock, per attempt
SYSTEM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def playwright_chromium() -> str | None:
    """Return a Chromium that ``playwright install`` put in its cache, if any.

    Found on disk rather than by starting Playwright, so it can be called from
    inside a running Playwright session.
    """
    root = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright")
    patterns = ("chromium-*/chrome-linux*/chrome", "chromium_headless_shell-*/chrome-linux*/headless_shell")
    for pattern in patterns:
        found = sorted(root.glob(pattern))
        if found:
            return str(found[-1])
    return None


def system_chromium() -> str | None:
    """Return the path of a system Chromium, if any."""
    for candidate in SYSTEM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return None


def find_browser() -> str | None:
    """Return the Chromium executable to launch: Playwright's own first, else the system's."""
    return playwright_chromium() or system_chromium()


NO_BROWSER = "no Chromium for the UI driver: run `make browser` (or install Debian's chromium package)"


class BrowserMissing(RuntimeError):
    """No Chromium to launch: the UI driver cannot start, and no scenario should be tried."""


def browser_available() -> bool:
    return find_browser() is not None


def install() -> int:
    """Provide a browser when none exists; return a process exit code."""
    if browser_available():
        print("browser: found", find_browser())
        return 0
    print("browser: none found, trying `playwright install chromium`")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "playwright", "install", "chromium"],
            timeout=600,
            capture_output=True,
        )
        if done.returncode == 0 and browser_available():
            return 0
    except subprocess.TimeoutExpired:
        pass
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("browser: installing Debian's chromium package")
        if apt_get("update", "-qq") and apt_get("install", "-y", "-qq", "chromium") and system_chromium():
            return 0
    print(
        "browser: no Chromium available. Install Debian's `chromium` package "
        "(apt-get install chromium) or run `playwright install chromium`.",
        file=sys.stderr,
    )
    return 1


def apt_get(*args: str, attempts: int = 3, pause: float = 15.0, run: Callable[..., Any] = subprocess.run) -> bool:
    """Run apt-get; wait for the package manager's lock rather than dying on it (issue 17: another
    install held it and `make browser` ended in a traceback). apt waits up to APT_LOCK_WAIT itself,
    then this tries again ``attempts`` times; any failure is one clear line, never a traceback."""
    command = ["apt-get", "-o", f"DPkg::Lock::Timeout={APT_LOCK_WAIT}", *args]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for attempt in range(1, attempts + 1):
        done = run(command, env=env, capture_output=True, text=True)
        if done.returncode == 0:
            return True
        said = (done.stderr or done.stdout or "").strip().splitlines()
        locked = any("lock" in line.lower() for line in said)
        if not locked or attempt == attempts:
            reason = said[-1] if said else f"exit status {done.returncode}"
            why = " (the package manager stayed locked by another install)" if locked else ""
            print(f"browser: apt-get {' '.join(args)} failed{why}: {reason}", file=sys.stderr)
            return False
        print(
            f"browser: another install holds the package manager's lock; trying again in {pause:.0f} s "
            f"({attempt} of {attempts})",
            file=sys.stderr,
        )
        time.sleep(pause)
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lab.browser")
    parser.add_argument("--install", action="store_true", help="install a browser if none exists")
    args = parser.parse_args(argv)
    if args.install:
        return install()
    path = find_browser()
    print(path or "none")
    return 0 if path else 1


if __name__ == "__main__":
    sys.exit(main())
