"""Notes: versioned session notes with addenda, psychotherapy notes, measures, full-text search.

Revision ID: 0004
Revises: 0003

Every version of a note is a row that is never changed. Triggers make that a property of the
database, not of the code that happens to write it: no UPDATE of a note, a version, an
addendum, a psychotherapy note or a measure; no new version once a note is signed; no addendum
before signing; versions and addenda numbered in order; no DELETE except inside a secure
disposal of the case (a `disposal_authorisations` row for that case, inserted and removed in
the disposal's own transaction).

Search: FTS5 tables inside the encrypted file. `notes_fts` and `psychotherapy_fts` are
external-content indexes over views giving each note's current text (its newest version, plus
its addenda), kept in step by triggers: before a new version or addendum the old text is taken
out of the index (the view still shows it), after it the new text goes in. `cases_fts` holds
each case's label and its partners' names. The tokenizer folds case and diacritics ("Zoe"
finds "Zoë") and stems English words ("fears" finds "fear").
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TOKENIZE = "porter unicode61 remove_diacritics 2"

#: WHEN clause of the guards: true unless the case is being disposed of.
NOT_DISPOSING = "NOT EXISTS (SELECT 1 FROM disposal_authorisations WHERE case_id = OLD.case_id)"


def _tables() -> None:
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("note_format", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String, nullable=False, server_default=""),
    )
    op.create_index("ix_notes_case_id", "notes", ["case_id"])

    op.create_table(
        "note_versions",
        sa.Column(
            "note_id",
            sa.Integer,
            sa.ForeignKey("notes.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("case_id", sa.Integer, nullable=False),
        sa.Column("session_date", sa.Date, nullable=False),
        sa.Column("duration_minutes", sa.Integer, nullable=True),
        sa.Column("attended", sa.JSON, nullable=False, server_default="[]"),
        sa.Column("pacing_template_id", sa.String(64), nullable=True),
        sa.Column("pacing_stage", sa.Integer, nullable=True),
        sa.Column("pacing_stage_title", sa.String, nullable=False, server_default=""),
        sa.Column("stage_progress", sa.String(32), nullable=True),
        sa.Column("sections", sa.JSON, nullable=False, server_default="[]"),
        sa.Column("body", sa.Text, nullable=False, server_default=""),
        sa.Column("content_version", sa.String(32), nullable=False, server_default=""),
        sa.Column("saved_at", sa.String(32), nullable=False),
        sa.Column("saved_by", sa.String, nullable=False, server_default=""),
        sa.Column("signed", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("signed_at", sa.String(32), nullable=True),
        sa.Column("signed_by", sa.String, nullable=True),
        sa.CheckConstraint("version >= 1", name="ck_note_versions_version"),
        sa.CheckConstraint(
            "signed = 0 OR (signed_at IS NOT NULL AND signed_by IS NOT NULL)",
            name="ck_note_versions_signature",
        ),
    )
    op.create_index(
        "ix_note_versions_case_signed", "note_versions", ["case_id", "signed", "session_date"]
    )

    op.create_table(
        "note_addenda",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "note_id", sa.Integer, sa.ForeignKey("notes.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("case_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("signed_at", sa.String(32), nullable=False),
        sa.Column("signed_by", sa.String, nullable=False),
        sa.UniqueConstraint("note_id", "position", name="uq_note_addenda_position"),
    )
    op.create_index("ix_note_addenda_case_id", "note_addenda", ["case_id"])

    op.create_table(
        "psychotherapy_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("session_note_id", sa.Integer, nullable=True),
        sa.Column("session_date", sa.Date, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("created_by", sa.String, nullable=False, server_default=""),
    )
    op.create_index("ix_psychotherapy_notes_case_id", "psychotherapy_notes", ["case_id"])

    op.create_table(
        "psychotherapy_note_versions",
        sa.Column(
            "note_id",
            sa.Integer,
            sa.ForeignKey("psychotherapy_notes.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("case_id", sa.Integer, nullable=False),
        sa.Column("body", sa.Text, nullable=False, server_default=""),
        sa.Column("saved_at", sa.String(32), nullable=False),
        sa.Column("saved_by", sa.String, nullable=False, server_default=""),
        sa.CheckConstraint("version >= 1", name="ck_psychotherapy_note_versions_version"),
    )
    op.create_index(
        "ix_psychotherapy_note_versions_case_id", "psychotherapy_note_versions", ["case_id"]
    )

    op.create_table(
        "measure_administrations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "partner_id",
            sa.Integer,
            sa.ForeignKey("partners.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("instrument", sa.String(16), nullable=False),
        sa.Column("taken_on", sa.Date, nullable=False),
        sa.Column("answer", sa.JSON, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("band", sa.String(32), nullable=True),
        sa.Column("threshold", sa.Integer, nullable=True),
        sa.Column("note_id", sa.Integer, nullable=True),
        sa.Column("content_version", sa.String(32), nullable=False, server_default=""),
        sa.Column("recorded_at", sa.String(32), nullable=False),
        sa.Column("recorded_by", sa.String, nullable=False, server_default=""),
    )
    op.create_index(
        "ix_measure_administrations_case",
        "measure_administrations",
        ["case_id", "instrument", "taken_on"],
    )
    op.create_index(
        "ix_measure_administrations_partner_id", "measure_administrations", ["partner_id"]
    )

    op.create_table(
        "disposal_authorisations",
        sa.Column("case_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("authorised_at", sa.String(32), nullable=False),
    )

    # The case timeline reads a case's audit events; without this it scans the whole chain.
    op.create_index("ix_audit_events_record", "audit_events", ["record_type", "record_id"])


def _abort(name: str, event: str, table: str, message: str, when: str | None = None) -> str:
    """A BEFORE trigger that refuses the statement with `message` (when `when` holds)."""
    condition = f" WHEN {when}" if when else ""
    quoted = message.replace("'", "''")
    return (
        f"CREATE TRIGGER {name} BEFORE {event} ON {table}{condition} "
        f"BEGIN SELECT RAISE(ABORT, '{quoted}'); END"
    )


KEPT = "only a secure disposal of the case removes them"
SIGNED = "a signed note cannot be changed: add an addendum"
AS_WRITTEN = "note versions are kept as written: save a new version"


def _immutability_triggers() -> None:
    statements = [
        # --- session notes
        _abort("notes_never_change", "UPDATE", "notes", "a note's case and format never change"),
        _abort("notes_kept", "DELETE", "notes", f"notes are kept: {KEPT}", NOT_DISPOSING),
        """CREATE TRIGGER note_versions_in_order BEFORE INSERT ON note_versions
           BEGIN
             SELECT RAISE(ABORT, 'a version belongs to its note''s case')
             WHERE NEW.case_id IS NOT (SELECT case_id FROM notes WHERE id = NEW.note_id);
             SELECT RAISE(ABORT, 'a signed note cannot be changed: add an addendum')
             WHERE EXISTS (SELECT 1 FROM note_versions
                           WHERE note_id = NEW.note_id AND signed = 1);
             SELECT RAISE(ABORT, 'note versions are numbered in order')
             WHERE NEW.version IS NOT (SELECT coalesce(max(version), 0) + 1
                                       FROM note_versions WHERE note_id = NEW.note_id);
           END""",
        _abort("note_versions_signed_locked", "UPDATE", "note_versions", SIGNED, "OLD.signed = 1"),
        _abort(
            "note_versions_never_change", "UPDATE", "note_versions", AS_WRITTEN, "OLD.signed = 0"
        ),
        _abort(
            "note_versions_signed_kept",
            "DELETE",
            "note_versions",
            "a signed note cannot be changed or deleted",
            f"OLD.signed = 1 AND {NOT_DISPOSING}",
        ),
        _abort(
            "note_versions_kept",
            "DELETE",
            "note_versions",
            f"note versions are kept: {KEPT}",
            f"OLD.signed = 0 AND {NOT_DISPOSING}",
        ),
        # --- addenda
        """CREATE TRIGGER note_addenda_in_order BEFORE INSERT ON note_addenda
           BEGIN
             SELECT RAISE(ABORT, 'an addendum belongs to its note''s case')
             WHERE NEW.case_id IS NOT (SELECT case_id FROM notes WHERE id = NEW.note_id);
             SELECT RAISE(ABORT, 'addenda follow a signed note: sign the note first')
             WHERE NOT EXISTS (SELECT 1 FROM note_versions
                               WHERE note_id = NEW.note_id AND signed = 1);
             SELECT RAISE(ABORT, 'addenda are numbered in order')
             WHERE NEW.position IS NOT (SELECT coalesce(max(position), 0) + 1
                                        FROM note_addenda WHERE note_id = NEW.note_id);
           END""",
        _abort(
            "note_addenda_never_change",
            "UPDATE",
            "note_addenda",
            "a signed addendum cannot be changed",
        ),
        _abort(
            "note_addenda_kept",
            "DELETE",
            "note_addenda",
            "a signed addendum cannot be deleted",
            NOT_DISPOSING,
        ),
        # --- psychotherapy notes
        _abort(
            "psychotherapy_notes_never_change",
            "UPDATE",
            "psychotherapy_notes",
            "a psychotherapy note's case never changes",
        ),
        _abort(
            "psychotherapy_notes_kept",
            "DELETE",
            "psychotherapy_notes",
            f"psychotherapy notes are kept: {KEPT}",
            NOT_DISPOSING,
        ),
        """CREATE TRIGGER psychotherapy_versions_in_order
           BEFORE INSERT ON psychotherapy_note_versions
           BEGIN
             SELECT RAISE(ABORT, 'a version belongs to its note''s case')
             WHERE NEW.case_id IS NOT (SELECT case_id FROM psychotherapy_notes
                                       WHERE id = NEW.note_id);
             SELECT RAISE(ABORT, 'note versions are numbered in order')
             WHERE NEW.version IS NOT (SELECT coalesce(max(version), 0) + 1
                                       FROM psychotherapy_note_versions
                                       WHERE note_id = NEW.note_id);
           END""",
        _abort(
            "psychotherapy_versions_never_change",
            "UPDATE",
            "psychotherapy_note_versions",
            AS_WRITTEN,
        ),
        _abort(
            "psychotherapy_versions_kept",
            "DELETE",
            "psychotherapy_note_versions",
            f"note versions are kept: {KEPT}",
            NOT_DISPOSING,
        ),
        # --- measures
        _abort(
            "measure_administrations_never_change",
            "UPDATE",
            "measure_administrations",
            "a recorded measure is kept as recorded: record a corrected one",
        ),
        _abort(
            "measure_administrations_kept",
            "DELETE",
            "measure_administrations",
            f"recorded measures are kept: {KEPT}",
            NOT_DISPOSING,
        ),
    ]
    for statement in statements:
        op.execute(statement)


def _search() -> None:
    # Each note's current text: its newest version, then its addenda in order.
    op.execute(
        """CREATE VIEW note_search_source AS
           SELECT v.note_id AS note_id,
                  v.body || coalesce(
                    (SELECT char(10) || group_concat(a.body, char(10) ORDER BY a.position)
                     FROM note_addenda AS a WHERE a.note_id = v.note_id), '') AS body
           FROM note_versions AS v
           WHERE v.version = (SELECT max(version) FROM note_versions AS newest
                              WHERE newest.note_id = v.note_id)"""
    )
    op.execute(
        """CREATE VIEW psychotherapy_search_source AS
           SELECT v.note_id AS note_id, v.body AS body
           FROM psychotherapy_note_versions AS v
           WHERE v.version = (SELECT max(version) FROM psychotherapy_note_versions AS newest
                              WHERE newest.note_id = v.note_id)"""
    )
    op.execute(
        f"""CREATE VIRTUAL TABLE notes_fts USING fts5(
              body, content='note_search_source', content_rowid='note_id',
              tokenize='{TOKENIZE}')"""
    )
    op.execute(
        f"""CREATE VIRTUAL TABLE psychotherapy_fts USING fts5(
              body, content='psychotherapy_search_source', content_rowid='note_id',
              tokenize='{TOKENIZE}')"""
    )
    op.execute(
        f"""CREATE VIRTUAL TABLE cases_fts USING fts5(label, partners, tokenize='{TOKENIZE}')"""
    )

    # An external-content index must be told the exact text it indexed to take it out again;
    # the view still shows the old text before the insert, and the new text after it.
    take_out_note = """INSERT INTO notes_fts (notes_fts, rowid, body)
                       SELECT 'delete', note_id, body FROM note_search_source
                       WHERE note_id = NEW.note_id;"""
    put_in_note = """INSERT INTO notes_fts (rowid, body)
                     SELECT note_id, body FROM note_search_source WHERE note_id = NEW.note_id;"""
    take_out_private = """INSERT INTO psychotherapy_fts (psychotherapy_fts, rowid, body)
                          SELECT 'delete', note_id, body FROM psychotherapy_search_source
                          WHERE note_id = NEW.note_id;"""
    put_in_private = """INSERT INTO psychotherapy_fts (rowid, body)
                        SELECT note_id, body FROM psychotherapy_search_source
                        WHERE note_id = NEW.note_id;"""
    refresh_case = """DELETE FROM cases_fts WHERE rowid = {case};
                      INSERT INTO cases_fts (rowid, label, partners)
                      SELECT c.id, c.label,
                             coalesce((SELECT group_concat(p.name, ' ' ORDER BY p.position)
                                       FROM partners AS p WHERE p.case_id = c.id), '')
                      FROM cases AS c WHERE c.id = {case};"""
    statements = [
        f"""CREATE TRIGGER note_versions_search_out BEFORE INSERT ON note_versions
            BEGIN {take_out_note} END""",
        f"""CREATE TRIGGER note_versions_search_in AFTER INSERT ON note_versions
            BEGIN {put_in_note} END""",
        f"""CREATE TRIGGER note_addenda_search_out BEFORE INSERT ON note_addenda
            BEGIN {take_out_note} END""",
        f"""CREATE TRIGGER note_addenda_search_in AFTER INSERT ON note_addenda
            BEGIN {put_in_note} END""",
        # Before the cascade removes its versions, while the view still shows its text.
        """CREATE TRIGGER notes_search_out BEFORE DELETE ON notes
           BEGIN
             INSERT INTO notes_fts (notes_fts, rowid, body)
             SELECT 'delete', note_id, body FROM note_search_source WHERE note_id = OLD.id;
           END""",
        f"""CREATE TRIGGER psychotherapy_versions_search_out
            BEFORE INSERT ON psychotherapy_note_versions BEGIN {take_out_private} END""",
        f"""CREATE TRIGGER psychotherapy_versions_search_in
            AFTER INSERT ON psychotherapy_note_versions BEGIN {put_in_private} END""",
        """CREATE TRIGGER psychotherapy_notes_search_out BEFORE DELETE ON psychotherapy_notes
           BEGIN
             INSERT INTO psychotherapy_fts (psychotherapy_fts, rowid, body)
             SELECT 'delete', note_id, body FROM psychotherapy_search_source
             WHERE note_id = OLD.id;
           END""",
        f"""CREATE TRIGGER cases_search_insert AFTER INSERT ON cases
            BEGIN {refresh_case.format(case="NEW.id")} END""",
        f"""CREATE TRIGGER cases_search_update AFTER UPDATE OF label ON cases
            BEGIN {refresh_case.format(case="NEW.id")} END""",
        """CREATE TRIGGER cases_search_delete AFTER DELETE ON cases
           BEGIN DELETE FROM cases_fts WHERE rowid = OLD.id; END""",
        f"""CREATE TRIGGER partners_search_insert AFTER INSERT ON partners
            BEGIN {refresh_case.format(case="NEW.case_id")} END""",
        f"""CREATE TRIGGER partners_search_update AFTER UPDATE OF name, case_id ON partners
            BEGIN {refresh_case.format(case="OLD.case_id")}
                  {refresh_case.format(case="NEW.case_id")} END""",
        f"""CREATE TRIGGER partners_search_delete AFTER DELETE ON partners
            BEGIN {refresh_case.format(case="OLD.case_id")} END""",
    ]
    for statement in statements:
        op.execute(statement)
    # Cases made before this revision.
    op.execute(
        """INSERT INTO cases_fts (rowid, label, partners)
           SELECT c.id, c.label,
                  coalesce((SELECT group_concat(p.name, ' ' ORDER BY p.position)
                            FROM partners AS p WHERE p.case_id = c.id), '')
           FROM cases AS c"""
    )


def upgrade() -> None:
    _tables()
    _immutability_triggers()
    _search()


def downgrade() -> None:
    raise NotImplementedError("vault migrations are forward-only; restore a backup instead")
