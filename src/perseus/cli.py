"""The `perseus` command. Each subcommand lives in perseus.commands.<name> and imports
its heavy dependencies only when run, so that quick commands start quickly."""

from __future__ import annotations

import argparse
import importlib
import sys

# Subcommand modules, each with `register(subparsers)` that sets `func`.
COMMANDS = (
    "generate",
    "validate",
    "synth",
    "diff",
    "calculate",
    "keys",
    "verify",
    "sandbox",
    "governance",
    "conformance",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="perseus",
        description="Perseus specifications, methodologies and reference calculator.",
    )
    parser.add_argument("--version", action=Version, nargs=0, help="show the version and where the data is read from")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"perseus.commands.{name}").register(subparsers)
    return parser


class Version(argparse.Action):
    """--version, printed as is (argparse's own action wraps long paths over lines)."""

    def __call__(self, parser, namespace, values, option_string=None):
        from perseus import __version__
        from perseus.paths import CHECKOUT, ROOT

        print(f"perseus {__version__} (data: {ROOT}{', a source checkout' if CHECKOUT else ''})")
        parser.exit()


def main(argv: list[str] | None = None) -> int:
    from perseus.paths import DataMissing, require_data

    args = build_parser().parse_args(argv)
    try:
        require_data()
        return int(args.func(args) or 0)
    except DataMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading: not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
