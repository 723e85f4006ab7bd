"""Pausing Python's cyclic garbage collector over a bounded batch of work that builds large object graphs."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Run the block with the cyclic collector off, as it was before afterwards.

    A full collection walks every live container object. A conformance run holds a few million
    (each answer's readings are dicts within dicts, a year is 17,520 of them), so the collector's
    full passes took about half of a run's time (measured on the server-conformance tests: 35 s with
    it, 18 s without). What such a run makes is freed by reference counting as it goes; the few
    reference cycles it leaves are collected when the collector is back on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
