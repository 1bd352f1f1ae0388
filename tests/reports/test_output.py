"""Writing, protecting and labelling the files: atomic writes, AES-256, metadata without names."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from reports import output
from reports.document import ReportOptions
from reports.output import ReportWriteError, protect_pdf, write_pdf_atomically
from reports.referral import render_referral
from reports.safety_plan import render_safety_plan
from reports.summary import render_summary
from tests.reports.helpers import (
    VIGNETTE_NAMES,
    pdf_text,
    qpdf_check,
    vignette_intake,
    vignette_snapshot,
)

PASSWORD = "correct horse battery staple (fictional)"


def documents() -> dict[str, bytes]:
    """One of each document, from fictional vignettes."""
    import dataclasses

    from clinical.model import ConsentInfo

    cardiac = vignette_snapshot("cardiac-impact")
    consented = dataclasses.replace(
        cardiac,
        consent=ConsentInfo("limited-secrets", None, ("A", "B"), share_with_professionals=True),
    )
    return {
        "safety-plan": render_safety_plan(vignette_snapshot("ready-couple")).data,
        "summary": render_summary(cardiac).data,
        "referral": render_referral(consented, "physician").data,
    }


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder of the test's own (tmp_path also holds the private HOME)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture(scope="module")
def made() -> dict[str, bytes]:
    return documents()


def test_metadata_names_the_document_and_practice_never_a_client(made: dict[str, bytes]) -> None:
    client_words = {"Example couple"}
    for name in VIGNETTE_NAMES:
        intake = vignette_intake(name)
        client_words.add(intake.label)
        client_words.update(p.name for p in intake.partners)
        client_words.update(
            part for p in intake.partners for part in p.name.split() if part != "Example"
        )
    expected_titles = {
        "safety-plan": "Couple safety plan",
        "summary": "Consultation summary",
        "referral": "Referral letter to a physician",
    }
    for kind, data in made.items():
        reader = PdfReader(io.BytesIO(data))
        info = reader.metadata
        assert info is not None
        assert info.title == expected_titles[kind]
        assert info.author == "Example Couples Practice (fictional)"
        assert info.creator == "Parley"
        fields = " ".join(str(value) for value in info.values())
        for word in client_words:
            assert word not in fields, (kind, word)
        assert reader.xmp_metadata is None  # nothing hidden in XMP either


def test_every_document_passes_qpdf_check(made: dict[str, bytes]) -> None:
    for kind, data in made.items():
        check = qpdf_check(data)
        assert check.returncode == 0, (kind, check.stdout, check.stderr)


def test_password_protected_pdf_opens_only_with_its_password_and_is_aes_256() -> None:
    rendered = render_summary(
        vignette_snapshot("cardiac-impact"), options=ReportOptions(password=PASSWORD)
    )
    reader = PdfReader(io.BytesIO(rendered.data))
    assert reader.is_encrypted
    encrypt = reader.trailer["/Encrypt"].get_object()
    assert encrypt["/V"] == 5
    assert encrypt["/R"] == 6
    assert encrypt["/CF"]["/StdCF"]["/CFM"] == "/AESV3"
    with pytest.raises(FileNotDecryptedError):
        _ = reader.pages[0].extract_text()
    wrong = PdfReader(io.BytesIO(rendered.data))
    assert not wrong.decrypt("not the password")
    assert "Consultation summary" in pdf_text(rendered.data, password=PASSWORD)
    # Other readers open it too (qpdf with the password; without, it refuses the content).
    assert qpdf_check(rendered.data, password=PASSWORD).returncode == 0
    assert qpdf_check(rendered.data, password="wrong").returncode != 0
    # The metadata survives encryption and still names no client.
    opened = PdfReader(io.BytesIO(rendered.data), password=PASSWORD)
    assert opened.metadata is not None
    assert opened.metadata.title == "Consultation summary"


def test_empty_password_and_damaged_input_are_refused() -> None:
    with pytest.raises(ReportWriteError, match="password is empty"):
        protect_pdf(b"%PDF-1.4\n", "")
    with pytest.raises(ReportWriteError, match="could not be read"):
        protect_pdf(b"%PDF-1.4 this is not a PDF at all", PASSWORD)


def test_atomic_write_replaces_the_file_and_leaves_no_temp(
    out: Path, made: dict[str, bytes]
) -> None:
    target = out / "plan.pdf"
    target.write_bytes(b"%PDF-old")
    written = write_pdf_atomically(made["safety-plan"], target)
    assert written == target.resolve()
    assert target.read_bytes() == made["safety-plan"]
    assert sorted(p.name for p in out.iterdir()) == ["plan.pdf"]
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)


def test_write_into_a_missing_folder_or_onto_a_folder_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(ReportWriteError, match="does not exist"):
        write_pdf_atomically(b"%PDF-1.4\n", tmp_path / "nowhere" / "x.pdf")
    (tmp_path / "folder.pdf").mkdir()
    with pytest.raises(ReportWriteError, match="is a folder"):
        write_pdf_atomically(b"%PDF-1.4\n", tmp_path / "folder.pdf")
    with pytest.raises(ValueError, match="not a PDF"):
        write_pdf_atomically(b"hello", tmp_path / "x.pdf")


def _run_child(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )


def test_a_full_disk_mid_write_keeps_the_old_file_and_leaves_no_temp(out: Path) -> None:
    """A real write failure: the child may write at most 4 KiB per file (RLIMIT_FSIZE)."""
    target = out / "summary.pdf"
    target.write_bytes(b"%PDF-the previous version")
    result = _run_child(
        f"""
        import resource, signal, sys
        from reports.output import ReportWriteError, write_pdf_atomically
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # turn the signal into EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        try:
            write_pdf_atomically(b"%PDF-" + b"x" * 100_000, {str(target)!r})
        except ReportWriteError as error:
            print(error)
            sys.exit(3)
        """
    )
    assert result.returncode == 3, result.stderr
    assert "cannot write summary.pdf" in result.stdout
    assert "File too large" in result.stdout
    assert target.read_bytes() == b"%PDF-the previous version"
    assert sorted(p.name for p in out.iterdir()) == ["summary.pdf"]


def test_a_killed_writer_never_leaves_a_half_written_pdf(out: Path) -> None:
    """SIGKILL during the write: the target is the old file, whole; never a torn new one."""
    target = out / "plan.pdf"
    target.write_bytes(b"%PDF-the previous version")
    with subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import os, sys
                import reports.output as output
                real_fsync = os.fsync
                def slow_fsync(fd):
                    print("writing", flush=True)
                    sys.stdin.readline()  # wait here until the test kills us
                    real_fsync(fd)
                output.os.fsync = slow_fsync
                output.write_pdf_atomically(b"%PDF-" + b"y" * 200_000, {str(target)!r})
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    ) as child:
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "writing"
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
        finally:
            if child.poll() is None:
                child.kill()
    assert target.read_bytes() == b"%PDF-the previous version"
    leftovers = [p for p in out.iterdir() if p.name != "plan.pdf"]
    # A killed process cannot tidy up: its temp may remain, but only under a neutral name.
    assert all(p.name.startswith(".parley-report-") for p in leftovers)
    # The next write to that folder removes what a crashed write left behind.
    for leftover in leftovers:
        old = time.time() - output.STALE_TEMP_SECONDS - 60
        os.utime(leftover, (old, old))
    write_pdf_atomically(b"%PDF-the next version", out / "next.pdf")
    assert sorted(p.name for p in out.iterdir()) == ["next.pdf", "plan.pdf"]
