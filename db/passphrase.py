"""Passphrase strength: a length minimum and a rough guessability score with a hint.

A deliberately small estimator (no dictionary download, works offline): it counts the
character variety and length, then discounts repeats, keyboard or alphabet runs and a few
very common passwords. It never echoes the passphrase in its hint.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from db.cipher import normalise_passphrase

MIN_PASSPHRASE_LENGTH = 10

_COMMON = frozenset(
    {
        "password",
        "passphrase",
        "letmein",
        "welcome",
        "qwerty",
        "iloveyou",
        "admin",
        "parley",
        "therapy",
        "secret",
        "monkey",
        "dragon",
        "sunshine",
        "football",
        "princess",
    }
)
_RUNS = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiopasdfghjklzxcvbnm")

_HINTS = (
    "Very easy to guess: use four or more unrelated words",
    "Easy to guess: add more words, or make it longer",
    "Fair: a few more words would make it much stronger",
    "Good: keep it somewhere safe, it cannot be recovered",
    "Strong: keep it somewhere safe, it cannot be recovered",
)


@dataclass(frozen=True, slots=True)
class PassphraseFeedback:
    """How strong a proposed passphrase is.

    Attributes:
        score: 0 (trivial) to 4 (strong).
        acceptable: long enough and not trivially guessable (score 2 or more).
        hint: one line for the person choosing it; never contains the passphrase.
    """

    score: int
    acceptable: bool
    hint: str


def _alphabet_size(text: str) -> int:
    size = 0
    if re.search(r"[a-z]", text):
        size += 26
    if re.search(r"[A-Z]", text):
        size += 26
    if re.search(r"[0-9]", text):
        size += 10
    if re.search(r"[ -/:-@\[-`{-~]", text):
        size += 33
    if any(ord(char) > 127 for char in text):
        size += 100
    return max(size, 1)


def _effective_length(text: str) -> float:
    """Length with repeated characters and alphabet or keyboard runs counted lightly."""
    lowered = text.lower()
    length = 0.0
    previous = ""
    for char in lowered:
        pair = previous + char
        if char == previous or (
            len(pair) == 2 and any(pair in run or pair[::-1] in run for run in _RUNS)
        ):
            length += 0.25
        else:
            length += 1.0
        previous = char
    for word in _COMMON:
        if word in lowered:
            length -= len(word) * 0.75
    return max(length, 0.0)


def estimate_bits(passphrase: str) -> float:
    """A rough estimate of the passphrase's entropy in bits."""
    text = normalise_passphrase(passphrase)
    return _effective_length(text) * math.log2(_alphabet_size(text))


def passphrase_feedback(passphrase: str) -> PassphraseFeedback:
    """Score `passphrase` 0-4 and say in one line how to make it better.

    Args:
        passphrase: the proposed passphrase, as typed.

    Returns:
        The score, whether Parley accepts it for a vault, and a hint.
    """
    text = normalise_passphrase(passphrase)
    if len(text) < MIN_PASSPHRASE_LENGTH:
        return PassphraseFeedback(
            score=0,
            acceptable=False,
            hint=f"Too short: use at least {MIN_PASSPHRASE_LENGTH} characters (several words "
            "are easiest to remember)",
        )
    bits = estimate_bits(text)
    if bits < 30:
        score = 0
    elif bits < 45:
        score = 1
    elif bits < 60:
        score = 2
    elif bits < 80:
        score = 3
    else:
        score = 4
    return PassphraseFeedback(score=score, acceptable=score >= 2, hint=_HINTS[score])
