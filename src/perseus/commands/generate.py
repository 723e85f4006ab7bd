"""`perseus generate`: regenerate generated/ and the Python models from the sources."""

from __future__ import annotations

import sys
import time


def register(subparsers) -> None:
    parser = subparsers.add_parser("generate", help="regenerate generated/ from spec/ and the other sources")
    parser.set_defaults(func=run)


def run(args) -> int:
    from perseus.paths import require_checkout

    root = require_checkout("perseus generate")
    from perseus.generators.run import cached_generated_files, write_all

    started = time.perf_counter()
    written = write_all(root, cached_generated_files())  # unchanged sources: the files of the last run
    print(f"generated {len(written)} files in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0
