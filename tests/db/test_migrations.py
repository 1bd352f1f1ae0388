"""The migration path for real: a vault made at revision 0001 is backed up, then upgraded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from db.audit import append_event, count_events, verify_chain
from db.backup import verify_vault_file
from db.cipher import PARLEY_APPLICATION_ID, derive_key, new_salt, open_keyed_connection
from db.migrate import head_revision, known_revisions, upgrade
from db.models import Answer, Partner
from db.services.cases import create_case
from db.services.types import NewCase, NewPartner
from db.vault import Vault
from tests.db.conftest import PASSPHRASE


def make_vault_at_revision(path: Path, revision: str) -> None:
    """A vault as an older Parley would have left it: keyed, stamped, one case, one event."""
    salt = new_salt()
    key = derive_key(PASSPHRASE, salt)
    first = open_keyed_connection(path, key, salt)
    first.execute(f"PRAGMA application_id = {PARLEY_APPLICATION_ID}")
    first.close()
    engine = create_engine(
        "sqlite://",
        creator=lambda: open_keyed_connection(path, key),
        module=sqlcipher,
        poolclass=NullPool,
    )
    with engine.begin() as connection:
        upgrade(connection, revision)
    # Rows as that revision's schema holds them: today's services would write today's columns.
    now = "2026-01-01T09:00:00.000000Z"
    with Session(engine) as session, session.begin():
        session.execute(
            text(
                "INSERT INTO cases (id, public_id, label, status, confidentiality_policy, "
                "created_at, updated_at, is_demo) VALUES (1, :uuid, 'Example couple at 0001', "
                "'intake', 'limited-secrets', :now, :now, 0)"
            ),
            {"uuid": "00000000-0000-4000-8000-000000000001", "now": now},
        )
        for position, (key, name) in enumerate((("A", "Kim Example"), ("B", "Alex Example"))):
            session.execute(
                text(
                    "INSERT INTO partners (case_id, key, name, position) "
                    "VALUES (1, :key, :name, :position)"
                ),
                {"key": key, "name": name, "position": position},
            )
        append_event(session, "unlock")
    engine.dispose()


def test_known_revisions_are_ordered() -> None:
    assert known_revisions()[:2] == ("0001", "0002")
    assert head_revision() == known_revisions()[-1]


def test_unlock_backs_up_then_migrates_a_0001_vault(tmp_path: Path) -> None:
    path = tmp_path / "old.parley"
    make_vault_at_revision(path, "0001")
    vault = Vault.unlock(path, PASSPHRASE)
    try:
        assert vault.migrated_from == "0001"
        backup = vault.pre_migration_backup
        assert backup is not None
        assert backup.parent == vault.backups_dir
        assert backup.name.startswith(f"pre-migration-0001-to-{head_revision()}-")
        with vault.session() as session:
            assert session.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
                head_revision()
            )
            assert count_events(session, "migration") == 1
            assert verify_chain(session).ok
            assert session.scalar(select(Partner.name).where(Partner.key == "A")) == "Kim Example"
    finally:
        vault.lock()
    # The backup opens with the same passphrase and still holds the old schema and data.
    verified = verify_vault_file(backup, derive_key(PASSPHRASE, path.read_bytes()[:16]))
    assert verified.revision == "0001"
    connection = open_keyed_connection(backup, derive_key(PASSPHRASE, verified.salt))
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        assert "answers" not in tables
        assert connection.execute("SELECT count(*) FROM cases").fetchone() == (1,)
    finally:
        connection.close()
    # A second unlock finds nothing to migrate and makes no new pre-migration backup.
    again = Vault.unlock(path, PASSPHRASE)
    assert again.migrated_from is None
    again.lock()
    assert len(list(backup.parent.glob("pre-migration-*"))) == 1


def test_answers_table_keeps_one_answer_per_owner_joint_included(tmp_path: Path) -> None:
    vault = Vault.create(tmp_path / "answers.parley", PASSPHRASE)
    try:
        with vault.session() as session:
            case = create_case(
                session,
                NewCase(
                    "Answers", (NewPartner("Kim Example"), NewPartner("Alex Example")), "no-secrets"
                ),
            )
            partner_a = session.scalar(select(Partner.id).where(Partner.key == "A"))
            now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
            rows = [
                {
                    "case_id": case.id,
                    "partner_id": partner_a,
                    "answer_id": "sexual.desire",
                    "value": 6,
                    "updated_at": now,
                },
                {
                    "case_id": case.id,
                    "partner_id": None,
                    "answer_id": "joint.goal",
                    "value": "talk",
                    "visibility": "joint",
                    "updated_at": now,
                },
            ]
            session.execute(insert(Answer.__table__), rows)
        for duplicate in rows:
            with pytest.raises(IntegrityError), vault.session() as session:
                session.execute(insert(Answer.__table__), [duplicate])
        with vault.session() as session:
            assert session.scalar(text("SELECT count(*) FROM answers")) == 2
    finally:
        vault.lock()
