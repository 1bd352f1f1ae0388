"""Passphrase strength feedback: minimum length, scores, hints that never echo the input."""

from __future__ import annotations

import pytest

from db.vault import MIN_PASSPHRASE_LENGTH, passphrase_feedback


def test_minimum_length_is_ten() -> None:
    assert MIN_PASSPHRASE_LENGTH == 10
    assert not passphrase_feedback("a" * 3 + "Z1!").acceptable
    assert "at least 10" in passphrase_feedback("short").hint


@pytest.mark.parametrize("weak", ["aaaaaaaaaaaa", "password1234", "abcdefghijkl", "1234567890"])
def test_long_but_trivial_passphrases_are_refused(weak: str) -> None:
    feedback = passphrase_feedback(weak)
    assert feedback.score <= 1
    assert not feedback.acceptable


@pytest.mark.parametrize(
    "good", ["correct horse battery staple", "sunny meadow 42", "Zoë fährt gern Rad"]
)
def test_several_words_are_accepted(good: str) -> None:
    feedback = passphrase_feedback(good)
    assert feedback.acceptable
    assert feedback.score >= 3


def test_scores_grow_with_length_and_the_hint_never_contains_the_passphrase() -> None:
    words = ["violet", "harbour", "pencil", "glacier", "orchid", "tandem"]
    scores = [passphrase_feedback(" ".join(words[:n])).score for n in range(2, 7)]
    assert scores == sorted(scores)
    assert scores[-1] == 4
    for n in range(2, 7):
        phrase = " ".join(words[:n])
        assert words[0] not in passphrase_feedback(phrase).hint
