"""Referral letters: the consent rule and the minimum necessary for each recipient."""

from __future__ import annotations

import copy
import dataclasses

import pytest

from clinical.content import load_content
from clinical.errors import ContentError
from clinical.model import ActivityAnswer, ConsentInfo
from reports.referral import ReferralRefusedError, render_referral
from reports.referral_scope import REFERRALS_FILE, parse_scopes
from tests.reports.helpers import (
    couple,
    has_word,
    partner,
    pdf_text,
    qpdf_check,
    snapshot_of,
    vignette_snapshot,
)

CONSENTED = ConsentInfo(
    policy="limited-secrets",
    consented_on=None,
    consented_by=("A", "B"),
    share_with_professionals=True,
)


def with_consent(snapshot):  # type: ignore[no-untyped-def]
    return dataclasses.replace(snapshot, consent=CONSENTED)


def test_no_consent_and_no_exception_refuses_the_letter() -> None:
    snapshot = vignette_snapshot("cardiac-impact")
    assert not snapshot.consent.share_with_professionals
    with pytest.raises(ReferralRefusedError, match="no consent to share"):
        render_referral(snapshot, "physician")
    with pytest.raises(ReferralRefusedError, match="no consent to share"):
        render_referral(snapshot, "physician", exception_note="   ")


def test_an_exception_allows_the_letter_and_is_recorded_without_its_content() -> None:
    note = "Phoned the GP with Pat present; cardiology appointment is urgent."
    rendered = render_referral(
        vignette_snapshot("cardiac-impact"), "physician", exception_note=note
    )
    assert qpdf_check(rendered.data).returncode == 0
    text = pdf_text(rendered.data)
    assert "I recorded an exception to confidentiality" in text
    assert "Phoned" not in text
    assert "cardiology" not in text


def test_physician_letter_has_medical_reasons_and_no_kink_detail() -> None:
    rendered = render_referral(with_consent(vignette_snapshot("cardiac-impact")), "physician")
    text = pdf_text(rendered.data)
    assert "Referral to a physician" in text
    assert "Regarding Pat Example" in text
    assert "Medical clearance before physically demanding play" in text
    assert "Medication to review" in text
    assert "Do you have a heart or circulation condition? Yes" in text
    assert "Do you take erection medicines? Yes" in text
    # The physical demand, not the scene.
    assert "Planned physically demanding activity: Impact play (receiving)" in text
    assert "Heavy impact play" not in text
    assert "scene" not in text.lower()
    # Nothing the physician does not need: no screens, no other indicators, no partner.
    for word in ("PHQ", "GAD", "AUDIT", "PTSD", "High-risk interest", "skill"):
        assert not has_word(text, word), word
    assert "Chris Example" not in text
    assert "consented to my sharing" in text
    assert "Dr Riley Example" in text


def test_trauma_therapist_letter_has_trauma_and_ptsd_screen_not_medical() -> None:
    text = pdf_text(
        render_referral(
            with_consent(vignette_snapshot("trauma-role-reversal")), "trauma-therapist"
        ).data
    )
    for phrase in ("History of abuse", "PTSD screen positive", "Trauma-adjacent activity"):
        assert phrase in text
    assert "PC-PTSD-5" in text
    assert "Screen positive: probable PTSD" in text
    assert "Power role reversal, receiving: Yes" in text
    for word in ("PHQ", "GAD", "AUDIT", "physician", "medical"):
        assert not has_word(text, word), word
    assert "Jordan Example" not in text


def test_psychiatrist_letter_has_mood_anxiety_and_substances_and_no_activities() -> None:
    kim = partner(
        "A",
        "Kim Example",
        facts={"substance.use_during_sex": True},
        instruments={"phq9": (2, 2, 2, 2, 1, 1, 1, 1, 0), "gad7": (2, 2, 2, 2, 1, 1, 1)},
        activities={"impact_heavy": ActivityAnswer("yes", "no", "none")},
    )
    lee = partner(
        "B",
        "Lee Example",
        instruments={"phq9": (3, 3, 3, 2, 2, 2, 1, 1, 0)},
        activities={"impact_heavy": ActivityAnswer("no", "yes", "none")},
    )
    snapshot = with_consent(snapshot_of(couple(kim, lee)))
    # Both partners screen positive: one letter each, never both in one.
    with pytest.raises(ReferralRefusedError, match="one letter per partner"):
        render_referral(snapshot, "psychiatrist")
    text = pdf_text(render_referral(snapshot, "psychiatrist", partner="A").data)
    assert "Regarding Kim Example" in text
    assert "Depression" in text
    assert "Anxiety" in text
    assert "Substance use and consent capacity" in text
    assert "PHQ-9" in text
    assert "GAD-7" in text
    assert "Lee Example" not in text
    assert "impact" not in text.lower()
    assert "Medical clearance" not in text


def test_nothing_to_refer_and_unknown_partner_are_refused() -> None:
    snapshot = with_consent(vignette_snapshot("ready-couple"))
    with pytest.raises(ReferralRefusedError, match="no indicator in this case calls"):
        render_referral(snapshot, "psychiatrist")
    cardiac = with_consent(vignette_snapshot("cardiac-impact"))
    with pytest.raises(ReferralRefusedError, match="no partner 'Z'"):
        render_referral(cardiac, "physician", partner="Z")
    with pytest.raises(ReferralRefusedError, match="no indicator for partner B"):
        render_referral(cardiac, "physician", partner="B")
    with pytest.raises(ReferralRefusedError, match="unknown recipient"):
        render_referral(cardiac, "dentist")  # type: ignore[arg-type]


def test_referral_content_is_validated() -> None:
    import tomllib

    data = tomllib.loads(REFERRALS_FILE.read_text(encoding="utf-8"))
    content = load_content()
    parse_scopes(data, content)  # the shipped file is valid
    broken = copy.deepcopy(data)
    broken["recipients"]["physician"]["indicators"].append("no-such-indicator")
    with pytest.raises(ContentError, match=r"recipients\.physician\.indicators\[3\]"):
        parse_scopes(broken, content)
    unsourced = copy.deepcopy(data)
    unsourced["recipients"]["psychiatrist"]["sources"] = ["my memory"]
    with pytest.raises(ContentError, match=r"clinical-research\.md"):
        parse_scopes(unsourced, content)
    missing = copy.deepcopy(data)
    del missing["recipients"]["trauma-therapist"]
    with pytest.raises(ContentError, match="describe exactly"):
        parse_scopes(missing, content)
