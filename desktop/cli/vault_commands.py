"""Headless vault commands: init, backup, restore, audit verify, passwd.

They run the same code paths as the app (db.vault). The passphrase comes from
PARLEY_PASSPHRASE (and PARLEY_NEW_PASSPHRASE for passwd) for scripts, else from a prompt that
does not echo. Every failure is a ParleyError: one line, a non-zero exit, no traceback.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from clinical.errors import ParleyError

PASSPHRASE_ENV = "PARLEY_PASSPHRASE"  # noqa: S105 (a variable name, not a secret)
NEW_PASSPHRASE_ENV = "PARLEY_NEW_PASSPHRASE"  # noqa: S105 (a variable name)


class PassphraseInputError(ParleyError):
    """No passphrase could be read, or the two entries differ."""

    exit_code = 2


def _prompt(label: str) -> str:
    if not sys.stdin.isatty():
        raise PassphraseInputError(
            f"no passphrase: set {PASSPHRASE_ENV} or run the command in a terminal"
        )
    try:
        return getpass.getpass(f"{label}: ")
    except EOFError:
        raise PassphraseInputError("no passphrase was entered") from None


def read_passphrase(env: str = PASSPHRASE_ENV, label: str = "Vault passphrase") -> str:
    """The passphrase from `env`, else prompted without echo."""
    from_env = os.environ.get(env)
    if from_env is not None:
        return from_env
    return _prompt(label)


def read_new_passphrase(env: str, label: str) -> str:
    """A new passphrase: from `env`, else typed twice with the strength hint shown."""
    from db.vault import passphrase_feedback

    from_env = os.environ.get(env)
    if from_env is not None:
        return from_env
    first = _prompt(label)
    feedback = passphrase_feedback(first)
    print(f"Strength {feedback.score}/4: {feedback.hint}", file=sys.stderr)
    if not feedback.acceptable:
        from db.errors import WeakPassphraseError

        raise WeakPassphraseError(f"passphrase refused: {feedback.hint}")
    if _prompt("Type it again") != first:
        raise PassphraseInputError("the two passphrases differ; nothing was created or changed")
    return first


def _vault_path(raw: str | None) -> Path:
    from db.vault import default_vault_path

    return Path(raw).expanduser() if raw else default_vault_path()


def handle_init(args: argparse.Namespace) -> int:
    """`parley init [VAULT]`: create a new, empty vault."""
    from db.vault import Vault, VaultExistsError

    path = _vault_path(args.vault)
    if path.exists():
        raise VaultExistsError(str(path))
    vault = Vault.create(path, read_new_passphrase(PASSPHRASE_ENV, "New vault passphrase"))
    vault.lock()
    print(f"created vault {path}")
    print("keep the passphrase safe: it cannot be recovered, and backups need it too")
    return 0


def handle_backup(args: argparse.Namespace) -> int:
    """`parley backup VAULT DEST`: write a verified encrypted backup."""
    from db.vault import Vault

    vault = Vault.unlock(_vault_path(args.vault), read_passphrase())
    try:
        written = vault.backup_to(Path(args.destination).expanduser())
    finally:
        vault.lock()
    print(f"backup written and verified: {written}")
    return 0


def handle_restore(args: argparse.Namespace) -> int:
    """`parley restore BACKUP VAULT`: replace the vault with a verified backup."""
    from db.vault import restore_backup

    path = _vault_path(args.vault)
    replaced = restore_backup(
        Path(args.backup).expanduser(), path, read_passphrase(label="Backup passphrase")
    )
    print(f"restored {path} from {args.backup}")
    if replaced is not None:
        print(f"the replaced vault was kept as {replaced}")
    return 0


def handle_audit_verify(args: argparse.Namespace) -> int:
    """`parley audit verify VAULT`: check the audit chain; exit 1 on any problem."""
    from db.audit import verify_chain
    from db.vault import Vault

    vault = Vault.unlock(_vault_path(args.vault), read_passphrase())
    try:
        with vault.session() as session:
            report = verify_chain(session)
    finally:
        vault.lock()
    if report.ok:
        print(f"audit chain ok ({report.event_count} events)")
        return 0
    for problem in report.problems:
        print(f"audit: {problem.message}")
    return 1


def handle_passwd(args: argparse.Namespace) -> int:
    """`parley passwd VAULT`: change the vault's passphrase."""
    from db.vault import Vault

    path = _vault_path(args.vault)
    current = read_passphrase(label="Current passphrase")
    vault = Vault.unlock(path, current)
    try:
        vault.change_passphrase(current, read_new_passphrase(NEW_PASSPHRASE_ENV, "New passphrase"))
    finally:
        vault.lock()
    print(f"passphrase changed for {path}; older backups still open with the old passphrase")
    return 0


def register(subparsers: Any) -> None:
    """Add the vault commands to the `parley` parser."""
    init = subparsers.add_parser("init", help="create a new encrypted practice vault")
    init.add_argument("vault", nargs="?", help="vault file (default: the app's usual place)")
    init.set_defaults(handler=handle_init)

    backup = subparsers.add_parser("backup", help="write a verified encrypted backup")
    backup.add_argument("vault", help="vault file")
    backup.add_argument("destination", help="backup file to write, or a folder to write it in")
    backup.set_defaults(handler=handle_backup)

    restore = subparsers.add_parser(
        "restore", help="replace a vault with a backup (the replaced file is kept aside)"
    )
    restore.add_argument("backup", help="backup file")
    restore.add_argument("vault", help="vault file to replace")
    restore.set_defaults(handler=handle_restore)

    audit = subparsers.add_parser("audit", help="audit trail commands")
    audit_commands = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_commands.add_parser("verify", help="check the hash chain of the audit trail")
    verify.add_argument("vault", help="vault file")
    verify.set_defaults(handler=handle_audit_verify)

    passwd = subparsers.add_parser("passwd", help="change a vault's passphrase")
    passwd.add_argument("vault", help="vault file")
    passwd.set_defaults(handler=handle_passwd)
