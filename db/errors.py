"""Errors the vault raises: each one a ParleyError with a one-line message safe to show anyone.

Messages name files and ids only, never client data, and say what to do next.
"""

from __future__ import annotations

from clinical.errors import ParleyError


class VaultError(ParleyError):
    """The base of every vault failure a person can act on."""


class WrongPassphraseError(VaultError):
    """The passphrase does not open the file, or the file is not a Parley vault.

    The two cannot be told apart on purpose: an encrypted vault opened with the wrong key
    looks exactly like random bytes.
    """

    def __init__(self) -> None:
        super().__init__(
            "wrong passphrase, or not a Parley vault: check the passphrase (and the keyboard "
            "layout) and try again"
        )


class VaultDamagedError(VaultError):
    """The file decrypts but is truncated or fails its integrity check."""

    def __init__(self, path_name: str, detail: str = "it is truncated or damaged") -> None:
        super().__init__(
            f"the vault {path_name} cannot be used: {detail}; nothing was changed. Restore the "
            "latest backup (parley restore BACKUP VAULT, or Restore in the app)"
        )


class NewerVaultError(VaultError):
    """The vault was written by a newer Parley; it is left exactly as it is."""

    def __init__(self, path_name: str) -> None:
        super().__init__(
            f"the vault {path_name} was written by a newer version of Parley; it was not "
            "changed. Install the newer Parley to open it"
        )


class VaultInUseError(VaultError):
    """Another Parley process (or another window of this one) has the vault open."""

    def __init__(self, path_name: str) -> None:
        super().__init__(
            f"the vault {path_name} is already open in another Parley window or process; "
            "close it there (or lock it) and try again"
        )


class VaultExistsError(VaultError):
    """Creating a vault where a file already exists (an existing vault is never overwritten)."""

    def __init__(self, path_name: str) -> None:
        super().__init__(
            f"{path_name} already exists; choose another file name, or open the existing vault"
        )


class VaultNotFoundError(VaultError):
    """The vault file does not exist (or is not a regular file)."""

    def __init__(self, path_name: str) -> None:
        super().__init__(f"no vault at {path_name}; check the path, or create one with parley init")


class VaultLockedError(VaultError):
    """A locked vault was asked for a session or a change."""

    def __init__(self) -> None:
        super().__init__("the vault is locked; unlock it first")


class WeakPassphraseError(VaultError):
    """A new passphrase was refused as too short or too easy to guess."""


class BackupError(VaultError):
    """A backup or restore could not be completed; nothing existing was removed."""


class VaultStorageError(VaultError):
    """The disk is full or the vault's folder refused a write; the change was not saved."""

    def __init__(self) -> None:
        super().__init__(
            "the last change could not be saved: the disk is full or the vault's folder is "
            "not writable; free some space (or fix the folder) and try again"
        )


class InvalidRecordError(VaultError):
    """Input to a service was refused (missing partner, unknown status, ...); nothing saved."""


class RecordNotFoundError(VaultError):
    """A service was asked for a record id that does not exist."""
