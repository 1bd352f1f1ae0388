"""Getting PDF bytes safely onto disk and, optionally, behind a password.

Writes go to a temp file in the target folder, are fsynced, then renamed over the target, so
a crash or a full disk leaves either the old file or the new one, never half of one, and no
temp file behind. Passwords are applied with pypdf as AES-256 after reportlab has built the
document: reportlab's own AES output cannot be opened by other readers.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from clinical.errors import ParleyError


class ReportWriteError(ParleyError):
    """A report could not be written or protected; the message names the file, not the client."""


def protect_pdf(data: bytes, password: str) -> bytes:
    """The same document, encrypted with AES-256 so that it opens only with `password`.

    Args:
        data: an unencrypted PDF.
        password: the password to open it; must not be empty.

    Raises:
        ReportWriteError: the password is empty or the bytes are not a readable PDF.
    """
    if not password:
        raise ReportWriteError("the PDF password is empty; give a password or none at all")
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    except (PyPdfError, ValueError, OSError) as error:
        raise ReportWriteError(
            f"the PDF could not be read for encryption ({type(error).__name__})"
        ) from None
    # The owner password is the same: a separate one nobody knows would lock the clinician
    # out of changing permissions on their own document.
    writer.encrypt(user_password=password, owner_password=password, algorithm="AES-256")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def write_pdf_atomically(data: bytes, path: Path | str) -> Path:
    """Write `data` to `path` through a temp file in the same folder, fsync and rename.

    Args:
        data: the PDF bytes (must start with the PDF header).
        path: the target file; its folder must exist. An existing file is replaced only
            once the new one is complete.

    Returns:
        The resolved path written.

    Raises:
        ReportWriteError: the folder is missing or not writable, the disk is full, or the
            rename failed; nothing is left behind and any old file is untouched.
        ValueError: `data` is not a PDF (a programming error, not a user's).
    """
    if not data.startswith(b"%PDF-"):
        raise ValueError("refusing to write bytes that are not a PDF")
    target = Path(path).expanduser()
    folder = target.parent.resolve() if str(target.parent) else Path.cwd()
    target = folder / target.name
    if not folder.is_dir():
        raise ReportWriteError(f"cannot write {target.name}: the folder {folder} does not exist")
    if target.is_dir():
        raise ReportWriteError(f"cannot write {target.name}: it is a folder")
    remove_stale_temporaries(folder)
    temp_name: str | None = None
    try:
        # A neutral temp name: the final file name may hold a client's name, the temp never.
        descriptor, temp_name = tempfile.mkstemp(
            prefix=".parley-report-", suffix=".tmp", dir=folder
        )
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, target)
        temp_name = None
        _fsync_folder(folder)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ReportWriteError(f"cannot write {target.name} in {folder}: {reason}") from None
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
    return target


#: A temp file this old was left by a write that crashed (a live write takes milliseconds).
STALE_TEMP_SECONDS = 600


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete report temp files a crashed write left in `folder`; returns what was removed.

    A process killed between writing its temp file and renaming it cannot clean up after
    itself; the next write to the same folder does, so no copy of a document lingers.
    """
    removed = []
    cutoff = time.time() - STALE_TEMP_SECONDS
    for leftover in folder.glob(".parley-report-*.tmp"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
                removed.append(leftover)
    return removed


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it (not on Windows)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
