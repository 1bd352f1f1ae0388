"""The `parley` command: with no arguments it starts the app, otherwise one headless command.

Every command module registers its sub-command here. Failures the user can act on raise
ParleyError and end as one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version

from clinical.errors import ParleyError

#: Modules that each define `register(subparsers)`; kept light at import time so that
#: `parley --version` and headless commands never pay for Qt.
COMMAND_MODULES: tuple[str, ...] = (
    "desktop.cli.vault_commands",
    "desktop.cli.evaluate",
    "desktop.cli.report",
    "desktop.cli.demo_commands",
)

Handler = Callable[[argparse.Namespace], int]


def parley_version() -> str:
    try:
        return version("parley")
    except PackageNotFoundError:  # running from a source tree without installing
        return "0+unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parley",
        description="Parley: intake, referral screening and case notes for sex and couple "
        "therapists. With no command, starts the app.",
    )
    parser.add_argument("--version", action="version", version=f"parley {parley_version()}")
    parser.add_argument(
        "--vault", help="open this vault file in the app instead of the default one"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    try:
        if handler is None:
            from desktop.app import run_app

            return run_app(vault_path=args.vault)
        return handler(args)
    except ParleyError as error:
        print(f"parley: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("parley: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        if os.environ.get("PARLEY_DEBUG"):
            raise
        # The type only: an exception's text may quote client data.
        print(
            f"parley: unexpected {type(error).__name__}; nothing was changed after the last "
            "completed step. Run again with PARLEY_DEBUG=1 for details.",
            file=sys.stderr,
        )
        return 70
