"""`parley demo VAULT` (a fictional demo practice) and `parley screenshots` (screens as PNG)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli.vault_commands import PASSPHRASE_ENV, read_new_passphrase, read_passphrase


def handle_demo(args: argparse.Namespace) -> int:
    from desktop.demo import create_demo_vault

    path = Path(args.vault).expanduser()
    passphrase = read_new_passphrase(PASSPHRASE_ENV, "Passphrase for the demo vault")
    case_ids = create_demo_vault(path, passphrase, replace=args.replace)
    print(f"demo vault created at {path}: {len(case_ids)} fictional cases, marked DEMO")
    return 0


def _size(text: str) -> tuple[int, int]:
    from clinical.errors import ParleyError

    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise ParleyError(f"--size {text!r}: expected WIDTHxHEIGHT, e.g. 1440x900") from None
    return width, height


def handle_screenshots(args: argparse.Namespace) -> int:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.screenshots import take_screenshots

    written = take_screenshots(
        Path(args.vault).expanduser(),
        read_passphrase(),
        Path(args.out).expanduser(),
        sizes=[_size(text) for text in (args.size or ["1440x900"])],
        dark=args.dark,
    )
    for path in written:
        print(path)
    return 0


def register(subparsers: Any) -> None:
    demo = subparsers.add_parser(
        "demo", help="create a vault filled with fictional demo couples (marked DEMO)"
    )
    demo.add_argument("vault", help="where to create the demo vault")
    demo.add_argument(
        "--replace", action="store_true", help="delete an existing file at that path first"
    )
    demo.set_defaults(handler=handle_demo)

    shots = subparsers.add_parser(
        "screenshots", help="render every screen of a (demo) vault offscreen as PNG files"
    )
    shots.add_argument("--vault", required=True, help="the vault to show (use a demo vault)")
    shots.add_argument("--out", required=True, help="folder for the PNG files")
    shots.add_argument(
        "--size",
        action="append",
        default=None,
        help="WIDTHxHEIGHT, repeatable (default 1440x900)",
    )
    shots.add_argument("--dark", action="store_true", help="use the dark palette")
    shots.set_defaults(handler=handle_screenshots)
