"""Reading and writing `parley.intake/1` files for the intake page (runs on the worker thread).

Exports go through a temp file in the target folder, fsynced, then renamed over the target, so
a crash or a full disk leaves the old file or the new one, never half of one, and no temp file
behind. The temp file's name is neutral; nothing here logs a name or an answer.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from clinical.content import Content
from clinical.errors import ParleyError
from clinical.interchange import dump_intake, load_intake
from clinical.model import Intake


class IntakeFileError(ParleyError):
    """An intake file could not be written or does not fit this case; safe to show."""


def write_text_atomically(text: str, path: Path | str) -> Path:
    """Write UTF-8 `text` to `path` through a temp file in the same folder, fsync and rename.

    Returns:
        The resolved path written.

    Raises:
        IntakeFileError: the folder is missing or not writable, the target is a folder, the
            disk is full, or the rename failed; the old file, if any, is untouched and no temp
            file is left behind.
    """
    target = Path(path).expanduser()
    folder = target.parent.resolve()
    target = folder / target.name
    if not folder.is_dir():
        raise IntakeFileError(f"cannot write {target.name}: the folder {folder} does not exist")
    if target.is_dir():
        raise IntakeFileError(f"cannot write {target.name}: it is a folder")
    temp_name: str | None = None
    try:
        handle, temp_name = tempfile.mkstemp(prefix=".parley-", suffix=".tmp", dir=folder)
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, target)
        temp_name = None
        _sync_folder(folder)
    except OSError as error:
        raise IntakeFileError(
            f"cannot write {target.name}: {error.strerror or type(error).__name__}"
        ) from None
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
    return target


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the system allows opening a folder)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def export_intake_file(intake: Intake, content: Content, path: Path | str) -> Path:
    """Write `intake` as a `parley.intake/1` file, atomically.

    Raises:
        IntakeFormatError: the intake holds something the format cannot carry.
        IntakeFileError: the file could not be written.
    """
    return write_text_atomically(dump_intake(intake, content), path)


def read_intake_file(path: Path | str, content: Content, partner_keys: Iterable[str]) -> Intake:
    """Read and check a `parley.intake/1` file for a case whose partners have these keys.

    Raises:
        IntakeFormatError: unreadable or malformed; the message names the JSON path.
        IntakeFileError: the file's partners are not this case's partners.
    """
    intake = load_intake(Path(path), content)
    expected = sorted(partner_keys)
    found = sorted(partner.key for partner in intake.partners)
    if found != expected:
        raise IntakeFileError(
            f"partners: the file's partners ({', '.join(found)}) do not match this case's "
            f"({', '.join(expected)}); nothing was imported"
        )
    return intake
