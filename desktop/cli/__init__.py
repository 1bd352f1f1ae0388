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

from clinical.errors import ParleyError

#: Modules that each define `register(subparsers)`; kept light at import time so that
#: `parley --version` and headless commands never pay for Qt.
COMMAND_MODULES: tuple[str, ...] = (
    "desktop.cli.vault_commands",
    "desktop.cli.evaluate",
    "desktop.cli.report",
    "desktop.cli.demo_commands",
)

#: Which module registers each sub-command, so that one command (or starting the app, which
#: is a matter of milliseconds the clinician waits for) imports only what it runs.
COMMANDS: dict[str, str] = {
    "init": "desktop.cli.vault_commands",
    "backup": "desktop.cli.vault_commands",
    "restore": "desktop.cli.vault_commands",
    "audit": "desktop.cli.vault_commands",
    "passwd": "desktop.cli.vault_commands",
    "evaluate": "desktop.cli.evaluate",
    "report": "desktop.cli.report",
    "demo": "desktop.cli.demo_commands",
    "screenshots": "desktop.cli.demo_commands",
}

Handler = Callable[[argparse.Namespace], int]


def parley_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("parley")
    except PackageNotFoundError:  # running from a source tree without installing
        return "0+unknown"


class _VersionAction(argparse.Action):
    """Prints the version; looked up only when asked, since the lookup costs app start-up."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        print(f"parley {parley_version()}")
        parser.exit()


def _command_word(argv: Sequence[str]) -> str | None:
    """The sub-command named on the command line, if any (skipping `--vault VALUE`)."""
    skip_next = False
    for argument in argv:
        if skip_next:
            skip_next = False
            continue
        if argument == "--vault":
            skip_next = True
            continue
        if not argument.startswith("-"):
            return argument
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser; given `argv`, only the module of the command it names registers.

    Help and unknown commands get every command, so that `parley --help` lists them all.
    """
    parser = argparse.ArgumentParser(
        prog="parley",
        description="Parley: intake, referral screening and case notes for sex and couple "
        "therapists. With no command, starts the app.",
    )
    parser.add_argument(
        "--version", action=_VersionAction, nargs=0, help="print the version and exit"
    )
    parser.add_argument(
        "--vault", help="open this vault file in the app instead of the default one"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules: tuple[str, ...] = COMMAND_MODULES
    if argv is not None and not any(token in ("-h", "--help") for token in argv):
        word = _command_word(argv)
        if word is None:
            modules = ()
        elif word in COMMANDS:
            modules = (COMMANDS[word],)
    for module_name in modules:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(arguments)
    args = parser.parse_args(arguments)
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
