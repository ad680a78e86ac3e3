"""Okta's SDK is asyncio: its coroutines run on a thread of their own.

A worker that has run a UI test keeps Playwright's sync API in its main thread, which marks
an event loop as running there, and ``asyncio.run`` refuses to start under it ("cannot be
called from a running event loop"). The order pytest-xdist hands tests out must not decide
whether the SDK tests pass."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_apart(coroutine: Coroutine[Any, Any, T]) -> T:
    with ThreadPoolExecutor(1, thread_name_prefix="okta-sdk") as pool:
        return pool.submit(asyncio.run, coroutine).result()
