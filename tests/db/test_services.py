"""Case and practice-settings services: validation, frozen results, listing for the table."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import text

from clinical.model import CrisisContact
from db.errors import InvalidRecordError, RecordNotFoundError
from db.services.cases import (
    case_rows,
    count_cases,
    create_case,
    get_case,
    list_case_ids,
    mark_case_opened,
    record_consent,
    update_case,
)
from db.services.practice import get_practice_settings, update_practice_settings
from db.services.types import (
    CaseChanges,
    NewCase,
    NewConsent,
    NewPartner,
    PartnerChanges,
    PracticeSettingsChanges,
)
from db.vault import Vault

KIM = NewPartner("Kim Example", pronouns="she/her", date_of_birth=dt.date(1990, 5, 1))
ALEX = NewPartner("Alex Example", audit_c_threshold=4)


def new_case(label: str = "Example couple", **changes: object) -> NewCase:
    base = NewCase(label=label, partners=(KIM, ALEX), confidentiality_policy="limited-secrets")
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_create_case_records_partners_consent_and_returns_frozen_values(vault: Vault) -> None:
    with vault.session() as session:
        summary = create_case(session, new_case(consented_on=dt.date(2026, 1, 5)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        summary.label = "changed"  # type: ignore[misc]
    with vault.session() as session:
        detail = get_case(session, summary.id)
    assert detail.summary.partner_keys == ("A", "B")
    assert detail.summary.status == "intake"
    assert [p.name for p in detail.partners] == ["Kim Example", "Alex Example"]
    assert detail.partners[0].date_of_birth == dt.date(1990, 5, 1)
    assert detail.partners[1].audit_c_threshold == 4
    (consent,) = detail.consents
    assert consent.kind == "confidentiality-policy"
    assert consent.policy == "limited-secrets"
    assert consent.consented_by == ("A", "B")
    assert consent.consented_on == dt.date(2026, 1, 5)
    assert len(summary.public_id) == 36


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"partners": (KIM,)}, "2 to 12 partners"),
        ({"label": "   "}, "needs a label"),
        ({"confidentiality_policy": "anything-goes"}, "confidentiality policy"),
        ({"status": "archived"}, "status must be"),
        ({"partners": (KIM, NewPartner("  "))}, "partner 2 needs a name"),
        ({"partners": (KIM, NewPartner("Alex Example", audit_c_threshold=5))}, "3 or 4"),
        ({"partners": (NewPartner("Kim Example", key="A"), NewPartner("Alex", key="a"))}, "twice"),
        ({"consented_by": ("A", "C")}, "partner C is not in this case"),
    ],
)
def test_create_case_refuses_bad_input_and_saves_nothing(
    vault: Vault, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidRecordError, match=message), vault.session() as session:
        create_case(session, new_case(**changes))
    with vault.session() as session:
        assert count_cases(session) == 0


def test_a_polycule_gets_keys_in_order(vault: Vault) -> None:
    partners = (KIM, ALEX, NewPartner("Sam Example"), NewPartner("Robin Example", key="Z"))
    with vault.session() as session:
        summary = create_case(session, new_case(partners=partners))
    assert summary.partner_keys == ("A", "B", "C", "Z")


def test_update_case_changes_fields_and_partners(vault: Vault) -> None:
    with vault.session() as session:
        case = create_case(session, new_case())
    with vault.session() as session:
        updated = update_case(
            session,
            case.id,
            CaseChanges(
                label="Renamed couple",
                status="active",
                partners=(
                    PartnerChanges(key="a", pronouns="they/them", clear_date_of_birth=True),
                    PartnerChanges(key="B", audit_c_threshold=3),
                ),
                add_partners=(NewPartner("Sam Example"),),
            ),
        )
        detail = get_case(session, case.id)
    assert updated.label == "Renamed couple"
    assert updated.status == "active"
    assert updated.updated_at > case.updated_at
    assert detail.partners[0].pronouns == "they/them"
    assert detail.partners[0].date_of_birth is None
    assert detail.partners[1].audit_c_threshold == 3
    assert [p.key for p in detail.partners] == ["A", "B", "C"]
    with pytest.raises(InvalidRecordError), vault.session() as session:
        update_case(session, case.id, CaseChanges(partners=(PartnerChanges(key="Q"),)))
    with pytest.raises(RecordNotFoundError, match="case 999"), vault.session() as session:
        update_case(session, 999, CaseChanges(label="x"))


def test_record_consent_changes_the_policy_only_with_consent(vault: Vault) -> None:
    with vault.session() as session:
        case = create_case(session, new_case())
        record_consent(
            session,
            case.id,
            NewConsent("confidentiality-policy", ("A", "B"), policy="no-secrets"),
        )
        sharing = record_consent(session, case.id, NewConsent("share-with-professionals", ("B",)))
        detail = get_case(session, case.id)
    assert detail.summary.confidentiality_policy == "no-secrets"
    assert [c.kind for c in detail.consents] == [
        "confidentiality-policy",
        "confidentiality-policy",
        "share-with-professionals",
    ]
    assert sharing.policy is None
    assert sharing.consented_by == ("B",)
    with pytest.raises(InvalidRecordError), vault.session() as session:
        record_consent(session, case.id, NewConsent("confidentiality-policy", ("A",)))
    with pytest.raises(InvalidRecordError), vault.session() as session:
        record_consent(session, case.id, NewConsent("Not A Kind!", ("A",)))


def test_mark_case_opened_sets_last_seen(vault: Vault) -> None:
    with vault.session() as session:
        case = create_case(session, new_case())
        assert case.last_seen_at is None
        opened = mark_case_opened(session, case.id)
    assert opened.last_seen_at is not None


def test_list_case_ids_sorts_filters_and_rows_follow_the_ids(vault: Vault) -> None:
    labels = ["beta couple", "Alpha couple", "gamma triad", "Delta couple"]
    ids = {}
    with vault.session() as session:
        for label in labels:
            ids[label] = create_case(session, new_case(label)).id
        create_case(
            session,
            new_case("Epsilon", partners=(NewPartner("ZOË Example"), ALEX), status="closed"),
        )
    with vault.session() as session:
        by_label = list_case_ids(session, "label")
        newest = list_case_ids(session, "-created")
        zoe = list_case_ids(session, filter_text="zoë")
        couples = list_case_ids(session, "label", "COUPLE")
        closed = list_case_ids(session, status="closed")
        rows = case_rows(session, [*newest[:2], 12345])
    assert [by_label.index(ids[label]) for label in ["Alpha couple", "beta couple"]] == [0, 1]
    assert newest[0] == max(newest)
    assert len(zoe) == 1
    assert zoe == closed
    assert couples == [ids["Alpha couple"], ids["beta couple"], ids["Delta couple"]]
    assert [row.id for row in rows] == newest[:2]
    assert rows[0].partner_names == ("ZOË Example", "Alex Example")
    with pytest.raises(InvalidRecordError), vault.session() as session:
        list_case_ids(session, "name")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("label", "ix_cases_label"),
        ("-updated", "ix_cases_updated_at"),
        ("last_seen", "ix_cases_last_seen_at"),
        ("created", "ix_cases_created_at"),
    ],
)
def test_sorting_uses_an_index(vault: Vault, sort: str, index: str) -> None:
    # 10,000 cases must list fast: every sortable column is indexed and the plan uses it.
    from sqlalchemy.dialects import sqlite

    from db.models import Case
    from db.services import cases as service

    column = service._SORT_COLUMNS[sort.lstrip("-")]
    query = service.select(Case.id).order_by(column.desc() if sort[0] == "-" else column)
    sql = str(query.compile(dialect=sqlite.dialect()))
    with vault.session() as session:
        plan = " ".join(str(row[-1]) for row in session.execute(text("EXPLAIN QUERY PLAN " + sql)))
    assert index in plan


def test_practice_settings_defaults_and_updates(vault: Vault) -> None:
    with vault.session() as session:
        defaults = get_practice_settings(session)
    assert (defaults.auto_lock_minutes, defaults.backups_kept, defaults.retention_years) == (
        10,
        14,
        7,
    )
    crisis = (CrisisContact("Example crisis line", "000 000 000", "fictional, 24 h"),)
    with vault.session() as session:
        updated = update_practice_settings(
            session,
            PracticeSettingsChanges(
                clinician_name="Dr. Example", crisis_contacts=crisis, auto_lock_minutes=5
            ),
        )
    assert updated.crisis_contacts == crisis
    assert updated.practice_info().clinician_name == "Dr. Example"
    for bad in (
        PracticeSettingsChanges(auto_lock_minutes=0),
        PracticeSettingsChanges(backups_kept=1000),
        PracticeSettingsChanges(crisis_contacts=(CrisisContact("", "1"),)),
    ):
        with pytest.raises(InvalidRecordError), vault.session() as session:
            update_practice_settings(session, bad)
    with vault.session() as session:
        assert get_practice_settings(session) == updated
