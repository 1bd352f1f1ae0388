"""Defence in depth for couple-facing documents: refuse to print what only the clinician may see.

clinical.safety_plan already builds the plan from joint content only. This guard checks the
words a couple-facing document is about to print, independently of how they were chosen: no
screening instrument or score, no wording of the partner-safety, suicide or substance
questions, no clinician-only free-text answer, no title or rationale of an indicator that
is critical or rests on a clinician-only answer (they would reveal that evidence). A hit
refuses the document with a message that names the section and the kind of content, never
the content itself. A leak here can put a partner in danger.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from clinical.content import Content
from clinical.errors import ParleyError
from clinical.model import CaseSnapshot, FactValue
from clinical.visibility import is_couple_visible, is_evidence_couple_visible

#: Words that name screening or clinician-only topics whatever the content says. Word starts
#: are matched case-insensitively; partner names are removed from the text first.
_FIXED_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\bphq", "a screening instrument"),
    (r"\bgad-?\d", "a screening instrument"),
    (r"\bgad\b", "a screening instrument"),
    (r"\baudit\b", "a screening instrument"),
    (r"\bpc-?ptsd", "a screening instrument"),
    (r"\bptsd\b", "a screening result"),
    (r"\bscores?\b", "a screening score"),
    (r"\bscreen(ing)? (positive|negative)\b", "a screening result"),
    (r"\bsuicid", "suicide wording"),
    (r"\bself-harm", "suicide wording"),
    (r"\bbetter off dead\b", "suicide wording"),
    (r"\bkill (myself|yourself|themselves|himself|herself)\b", "suicide wording"),
    (r"\bstrangl", "partner-safety wording"),
    (r"\bintimate[- ]partner violence\b", "partner-safety wording"),
    (r"\bdomestic (violence|abuse)\b", "partner-safety wording"),
    (r"\bafraid of (your|their|my|his|her) partner\b", "partner-safety wording"),
    (r"\bforced (sex|sexual)\b", "partner-safety wording"),
    (r"\bhurt by (your|their|my|his|her) partner\b", "partner-safety wording"),
    (r"\bcoerc", "partner-safety wording"),
)

#: Clinician-only question families whose question wording must never reach the couple.
_PRIVATE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("safety.", "partner-safety wording"),
    ("suicide.", "suicide wording"),
    ("substance.", "substance-use wording"),
)

_MIN_PHRASE = 4


class CoupleLeakError(ParleyError):
    """A couple-facing document would have shown clinician-only content; nothing was made."""


@dataclass(frozen=True, slots=True)
class _Phrase:
    text: str
    kind: str


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


class CoupleTextGuard:
    """Checks couple-facing text of one case against everything the couple may not see."""

    def __init__(self, snapshot: CaseSnapshot, content: Content) -> None:
        """Collect the forbidden phrases of this case.

        Args:
            snapshot: the case; its clinician-only answers and indicators are what to keep out.
            content: the clinical content (question and instrument wording).
        """
        self._names = sorted(
            {
                name
                for name in (
                    *(p.name for p in snapshot.partners),
                    *(p.name for p in snapshot.intake.partners),
                )
                if name.strip()
            },
            key=len,
            reverse=True,
        )
        self._patterns = [(re.compile(p, re.IGNORECASE), kind) for p, kind in _FIXED_PATTERNS]
        self._phrases = self._collect(snapshot, content)

    @staticmethod
    def _collect(snapshot: CaseSnapshot, content: Content) -> list[_Phrase]:
        phrases: list[_Phrase] = []
        for instrument in content.instruments.values():
            phrases.append(_Phrase(instrument.title, "a screening instrument"))
            phrases.append(_Phrase(instrument.full_title, "a screening instrument"))
            phrases += [_Phrase(item.text, "screening item wording") for item in instrument.items]
        for question in content.questionnaire.questions():
            for prefix, kind in _PRIVATE_PREFIXES:
                if question.id.startswith(prefix):
                    phrases.append(_Phrase(question.label, kind))
        intake = snapshot.intake
        for indicator in snapshot.evaluation.indicators:
            # An indicator resting only on what the couple shared may be echoed by shared
            # content (the medical point on pain with sex); one resting on a private answer
            # or one that is critical must never be named.
            private = indicator.severity == "critical" or not all(
                is_evidence_couple_visible(intake, item, content) for item in indicator.evidence
            )
            if private:
                phrases.append(_Phrase(indicator.title, "an indicator"))
                phrases.append(_Phrase(indicator.rationale, "an indicator's reasoning"))
        owners: list[tuple[str | None, Mapping[str, FactValue]]] = [
            (partner.key, partner.facts) for partner in intake.partners
        ]
        owners.append((None, intake.joint_facts))
        for owner, facts in owners:
            for fact_id, value in facts.items():
                # Only what a person wrote in their own words can be recognised on a page;
                # a choice is stored as an option id ("very") that no document prints.
                asked = content.questionnaire.question(fact_id)
                free_text = asked is None or asked.type == "text"
                if not isinstance(value, str) or not free_text:
                    continue
                if not is_couple_visible(intake, owner, fact_id, content):
                    phrases.append(_Phrase(value, "a clinician-only answer"))
        return [p for p in phrases if len(_norm(p.text)) >= _MIN_PHRASE]

    def check(self, sections: Iterable[tuple[str, Sequence[str]]], allowed: Sequence[str]) -> None:
        """Refuse when any section's text holds forbidden content.

        Args:
            sections: (section name, texts) pairs: everything the document will print.
            allowed: texts the couple may see that could hold a forbidden phrase by
                coincidence (their own shared answers, medical points of shared answers, the
                aftercare the clinician set down for them). Where one of these is printed
                verbatim it is blanked out before the search, so it excuses only itself,
                never the same phrase elsewhere on the page.

        Raises:
            CoupleLeakError: naming the section and the kind of content only.
        """
        excused = sorted(
            {_norm(text) for text in allowed if len(_norm(text)) >= _MIN_PHRASE},
            key=len,
            reverse=True,
        )
        for section, texts in sections:
            joined = " \n ".join(texts)
            for name in self._names:
                joined = joined.replace(name, " ")
            folded = _norm(joined)
            for text in excused:
                folded = folded.replace(text, " \u2022 ")
            for pattern, kind in self._patterns:
                if pattern.search(folded):
                    raise CoupleLeakError(_message(section, kind))
            for phrase in self._phrases:
                # Whole words only: a private "rest" must not match "restraint".
                if re.search(rf"(?<!\w){re.escape(_norm(phrase.text))}(?!\w)", folded):
                    raise CoupleLeakError(_message(section, phrase.kind))


def _message(section: str, kind: str) -> str:
    return (
        f"the couple's safety plan was not made: its section '{section}' would show "
        f"{kind}, which only the clinician may see. Edit that section and try again."
    )
