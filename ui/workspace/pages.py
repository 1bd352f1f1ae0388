"""The workspace's pages, in sidebar order; each page module is imported when first shown.

A page is a QWidget built as `PageClass(case, navigator, **arguments)`. Pages talk to the case
only through its CaseSession, and to each other only through the navigator.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from PySide6.QtWidgets import QWidget

from ui.workspace.case_session import CaseSession


class Navigator(Protocol):
    """What a page may ask of the workspace."""

    def show_page_by_key(self, key: str) -> QWidget | None: ...

    def show_answer(self, owner: str | None, answer_id: str) -> None: ...


@dataclass(frozen=True)
class PageSpec:
    """One sidebar entry: a stable key, its title, and how to build the page."""

    key: str
    title: str
    module: str
    class_name: str
    arguments: dict[str, Any] = field(default_factory=dict)

    def build(self, case: CaseSession, navigator: Navigator) -> QWidget:
        page_class: Callable[..., QWidget] = getattr(
            importlib.import_module(self.module), self.class_name
        )
        return page_class(case, navigator, **self.arguments)


def intake_page_key(owner: str | None) -> str:
    return f"intake:{owner or 'joint'}"


def workspace_pages(case: CaseSession) -> list[PageSpec]:
    """The pages of a case: each partner's intake, joint answers, then the clinical pages."""
    pages = [
        PageSpec(
            intake_page_key(partner.key),
            f"Intake: {partner.name}",
            "ui.workspace.intake_page",
            "IntakePage",
            {"owner": partner.key},
        )
        for partner in case.detail.partners
    ]
    pages.append(
        PageSpec(
            intake_page_key(None),
            "Joint answers",
            "ui.workspace.intake_page",
            "IntakePage",
            {"owner": None},
        )
    )
    pages += [
        PageSpec("indicators", "Indicators", "ui.workspace.indicators_page", "IndicatorsPage"),
        PageSpec("negotiation", "Negotiation", "ui.workspace.negotiation_page", "NegotiationPage"),
        PageSpec("pacing", "Pacing plan", "ui.workspace.pacing_page", "PacingPlanPage"),
        PageSpec("safety-plan", "Safety plan", "ui.workspace.safety_plan_page", "SafetyPlanPage"),
        PageSpec("notes", "Notes", "ui.workspace.notes_page", "NotesPage"),
        PageSpec("measures", "Measures", "ui.workspace.measures_page", "MeasuresPage"),
        PageSpec("timeline", "Timeline", "ui.workspace.timeline_page", "TimelinePage"),
        PageSpec("reports", "Reports", "ui.workspace.reports_page", "ReportsPage"),
    ]
    return pages
