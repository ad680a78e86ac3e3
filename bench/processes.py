"""Both simulators in processes of their own, wired like `lab up`, for the end-to-end benchmarks."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

from lab.replay.sandbox import SCIM_TIMEOUT
from lab.wiring import okta_config


class AppProcess:
    """One simulator served by ``python -m bench.serve`` in a child process."""

    def __init__(self, name: str, config: dict[str, Any]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.serve", name, json.dumps(config)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http://"):
            self.stop()
            raise RuntimeError(f"{name}_sim did not start (exit code {self.process.returncode})")

    def peak_rss_mb(self) -> float:
        """The process's peak resident set (VmHWM), in MiB: what W4 reports."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class ProcessSandbox:
    """What lab.drivers.client.LabClient needs of a sandbox (its URLs and lab key), in two processes."""

    def __init__(self, *, scim_timeout: float = SCIM_TIMEOUT, okta: dict[str, Any] | None = None) -> None:
        """``okta``: okta_sim settings beyond the SCIM timeout (PUSH_MODE, PUSH_WORKERS...)."""
        self.lab_key = secrets.token_urlsafe(24)
        self.cybozu = AppProcess("cybozu", {"LAB_KEY": self.lab_key})
        try:
            settings = {
                "SCIM_TIMEOUT": scim_timeout,
                "OKTA_RATE_LIMIT": 1_000_000,
                "ORG_ADMIN": True,  # the console's administrator, for W2's latency probe
                **(okta or {}),
            }
            self.okta = AppProcess("okta", okta_config(self.lab_key, self.cybozu.url, settings))
        except BaseException:
            self.cybozu.stop()
            raise

    @property
    def urls(self) -> dict[str, str]:
        return {"okta": self.okta.url, "cybozu": self.cybozu.url}

    def __enter__(self) -> ProcessSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.okta.stop()
        self.cybozu.stop()
