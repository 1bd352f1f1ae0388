"""The condition language of indicator rules: tokenizer, parser, type checker and compiler.

A condition is a small expression over one partner's answers (or, for joint rules, over all
partners). It is parsed once when the content loads, checked against the content's vocabulary
(fact ids, instruments, activities, tiers), and compiled into closures; it is never passed to
Python's eval. Evaluation is three-valued: an absent answer means "not asked", which is neither
true nor false, so ``not`` of an unknown stays unknown and a rule fires only when its condition
is definitely true. Each result carries the evidence: the answers that decided it.

The grammar and the functions are documented in docs/clinical-engine.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral
from typing import TypeAlias

from clinical.model import (
    ActivityAnswer,
    Evidence,
    FactValue,
    InstrumentAnswer,
    PtsdScreenAnswer,
)

#: A runtime value; None is "unknown" (an answer not given).
Value: TypeAlias = bool | int | float | str | None
Outcome: TypeAlias = tuple[Value, tuple[Evidence, ...]]
Scope: TypeAlias = TypingLiteral["partner", "joint"]
ValueKind: TypeAlias = TypingLiteral["bool", "number", "string"]

INTERESTED = frozenset({"yes", "maybe"})
ROLES = ("giving", "receiving")
RESPONSE_VALUES = frozenset({"yes", "maybe", "no", "limit"})
EXPERIENCE_VALUES = frozenset({"none", "some", "experienced"})
NO_EVIDENCE: tuple[Evidence, ...] = ()


class ExpressionError(Exception):
    """A condition that does not parse, or names or compares something wrongly.

    The content loader adds the file name and key path in front of the message.
    """


# --------------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True, slots=True)
class FactType:
    """What a fact id holds: its kind, and for scales the range, for choices the options."""

    kind: ValueKind
    minimum: int | None = None
    maximum: int | None = None
    allowed: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class InstrumentInfo:
    """What conditions may ask of an instrument."""

    item_count: int
    item_min: int
    item_max: int
    has_gate: bool = False

    @property
    def total_range(self) -> tuple[int, int]:
        return self.item_count * self.item_min, self.item_count * self.item_max


@dataclass(frozen=True, slots=True)
class ActivityInfo:
    """What conditions may ask of a catalogue activity."""

    id: str
    tier: str
    activity_class: str
    physically_demanding: bool


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Every name a condition may use, taken from the content files."""

    facts: Mapping[str, FactType]
    instruments: Mapping[str, InstrumentInfo]
    activities: tuple[ActivityInfo, ...]
    tiers: frozenset[str]
    classes: frozenset[str]

    def activity(self, activity_id: str) -> ActivityInfo | None:
        for activity in self.activities:
            if activity.id == activity_id:
                return activity
        return None


# ------------------------------------------------------------------------------------ context


@dataclass(frozen=True, slots=True)
class Subject:
    """The answers one condition is evaluated over: one partner's, or the joint facts.

    Attributes:
        partner: the partner key, or None for the joint facts (evidence carries it).
        totals: instrument totals as scored (None while incomplete).
        thresholds: the cut-off that applies to this partner per instrument.
    """

    partner: str | None
    facts: Mapping[str, FactValue]
    instruments: Mapping[str, InstrumentAnswer] = field(default_factory=dict)
    totals: Mapping[str, int | None] = field(default_factory=dict)
    thresholds: Mapping[str, int | None] = field(default_factory=dict)
    activities: Mapping[str, ActivityAnswer] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Context:
    """What a compiled condition reads: the subject (partner rules) and all partners (joint)."""

    subject: Subject
    partners: tuple[Subject, ...]


Evaluator: TypeAlias = Callable[[Context], Outcome]


# ------------------------------------------------------------------------------------ tokens

_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<number>\d+(?:\.\d+)?)
    | (?P<string>"[^"\\\n]*"|'[^'\\\n]*')
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
    | (?P<op>==|!=|<=|>=|<|>)
    | (?P<punct>[(),])
    """,
    re.VERBOSE,
)
_KEYWORDS = frozenset({"and", "or", "not", "true", "false"})


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # number, string, name, keyword, op, punct, end
    text: str
    position: int  # 1-based character position in the condition


def tokenize(text: str) -> list[Token]:
    """Split a condition into tokens; an unexpected character raises ExpressionError."""
    tokens: list[Token] = []
    index = 0
    while index < len(text):
        match = _TOKEN_RE.match(text, index)
        if match is None:
            raise ExpressionError(f"unexpected character {text[index]!r} at character {index + 1}")
        kind = match.lastgroup or ""
        if kind != "space":
            word = match.group()
            if kind == "name" and word in _KEYWORDS:
                kind = "keyword"
            tokens.append(Token(kind, word, index + 1))
        index = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


# --------------------------------------------------------------------------------------- AST


@dataclass(frozen=True, slots=True)
class LiteralNode:
    value: bool | int | float | str
    position: int


@dataclass(frozen=True, slots=True)
class NameNode:
    id: str
    position: int


@dataclass(frozen=True, slots=True)
class CallNode:
    function: str
    args: tuple[Node, ...]
    position: int


@dataclass(frozen=True, slots=True)
class NotNode:
    operand: Node
    position: int


@dataclass(frozen=True, slots=True)
class BoolOpNode:
    op: TypingLiteral["and", "or"]
    operands: tuple[Node, ...]
    position: int


@dataclass(frozen=True, slots=True)
class CompareNode:
    op: str
    left: Node
    right: Node
    position: int


Node: TypeAlias = LiteralNode | NameNode | CallNode | NotNode | BoolOpNode | CompareNode


class _Parser:
    """Recursive descent over the token list; one method per grammar rule."""

    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.index = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect(self, text: str) -> Token:
        token = self.current
        if token.text != text or token.kind in {"string", "end"}:
            raise ExpressionError(f"expected '{text}' at character {token.position}")
        return self.advance()

    def parse(self) -> Node:
        if self.current.kind == "end":
            raise ExpressionError("the condition is empty")
        node = self.parse_or()
        if self.current.kind != "end":
            token = self.current
            raise ExpressionError(f"unexpected '{token.text}' at character {token.position}")
        return node

    def parse_or(self) -> Node:
        return self._parse_bool("or", self.parse_and)

    def parse_and(self) -> Node:
        return self._parse_bool("and", self.parse_not)

    def _parse_bool(self, op: TypingLiteral["and", "or"], operand: Callable[[], Node]) -> Node:
        first = operand()
        operands = [first]
        while self.current.kind == "keyword" and self.current.text == op:
            self.advance()
            operands.append(operand())
        if len(operands) == 1:
            return first
        return BoolOpNode(op, tuple(operands), first.position)

    def parse_not(self) -> Node:
        if self.current.kind == "keyword" and self.current.text == "not":
            token = self.advance()
            return NotNode(self.parse_not(), token.position)
        return self.parse_comparison()

    def parse_comparison(self) -> Node:
        left = self.parse_primary()
        if self.current.kind == "op":
            token = self.advance()
            right = self.parse_primary()
            if self.current.kind == "op":
                raise ExpressionError(
                    f"comparisons cannot be chained (character {self.current.position}); "
                    "join them with 'and'"
                )
            return CompareNode(token.text, left, right, token.position)
        return left

    def parse_primary(self) -> Node:
        token = self.current
        if token.kind == "number":
            self.advance()
            number = float(token.text) if "." in token.text else int(token.text)
            return LiteralNode(number, token.position)
        if token.kind == "string":
            self.advance()
            return LiteralNode(token.text[1:-1], token.position)
        if token.kind == "keyword" and token.text in {"true", "false"}:
            self.advance()
            return LiteralNode(token.text == "true", token.position)
        if token.kind == "name":
            self.advance()
            if self.current.text == "(" and self.current.kind == "punct":
                return self.parse_call(token)
            return NameNode(token.text, token.position)
        if token.kind == "punct" and token.text == "(":
            self.advance()
            node = self.parse_or()
            self.expect(")")
            return node
        if token.kind == "end":
            raise ExpressionError("the condition ends too early")
        raise ExpressionError(f"unexpected '{token.text}' at character {token.position}")

    def parse_call(self, name: Token) -> Node:
        self.expect("(")
        args: list[Node] = []
        if not (self.current.kind == "punct" and self.current.text == ")"):
            args.append(self.parse_or())
            while self.current.kind == "punct" and self.current.text == ",":
                self.advance()
                args.append(self.parse_or())
        self.expect(")")
        return CallNode(name.text, tuple(args), name.position)


def parse(text: str) -> Node:
    """Parse a condition into its syntax tree; ExpressionError says what and where."""
    return _Parser(text).parse()


# -------------------------------------------------------------------------------- compilation


@dataclass(frozen=True, slots=True)
class _Typed:
    """A compiled sub-expression with its static type, for checks at load time."""

    evaluate: Evaluator
    kind: ValueKind
    label: str
    minimum: float | None = None
    maximum: float | None = None
    allowed: frozenset[str] | None = None
    literal: bool | int | float | str | None = None
    is_literal: bool = False


@dataclass(frozen=True, slots=True)
class CompiledCondition:
    """A condition ready to run.

    Attributes:
        source: the condition text, as written in the content.
        fact_ids: every fact id the condition reads directly, for joint-fact evaluation.
    """

    source: str
    fact_ids: frozenset[str]
    evaluate: Evaluator

    def __call__(self, context: Context) -> Outcome:
        return self.evaluate(context)


@dataclass
class _Compiler:
    vocabulary: Vocabulary
    scope: Scope
    fact_ids: set[str] = field(default_factory=set)

    def compile(self, node: Node) -> _Typed:
        if isinstance(node, LiteralNode):
            return self._literal(node)
        if isinstance(node, NameNode):
            return self._fact(node)
        if isinstance(node, NotNode):
            return self._not(node)
        if isinstance(node, BoolOpNode):
            return self._bool_op(node)
        if isinstance(node, CompareNode):
            return self._compare(node)
        return self._call(node)

    # -- leaves

    def _literal(self, node: LiteralNode) -> _Typed:
        value = node.value
        outcome: Outcome = (value, NO_EVIDENCE)
        kind: ValueKind = (
            "bool" if isinstance(value, bool) else "string" if isinstance(value, str) else "number"
        )
        return _Typed(
            lambda _context: outcome,
            kind,
            repr(value),
            literal=value,
            is_literal=True,
        )

    def _fact(self, node: NameNode) -> _Typed:
        fact_id = node.id
        fact = self.vocabulary.facts.get(fact_id)
        if fact is None:
            hint = ""
            if fact_id in self.vocabulary.instruments:
                hint = ' (read instruments with total(), item() or exposed(), e.g. total("phq9"))'
            raise ExpressionError(f"unknown fact id '{fact_id}'{hint}")
        if self.scope == "joint":
            raise ExpressionError(
                f"a joint rule compares partners: read '{fact_id}' through a function such as "
                "max_difference()"
            )
        self.fact_ids.add(fact_id)
        check = _kind_check(fact.kind)

        def read_fact(context: Context) -> Outcome:
            subject = context.subject
            value = subject.facts.get(fact_id)
            if value is None or not check(value):
                return None, NO_EVIDENCE
            return value, (Evidence(subject.partner, fact_id, value),)

        return _Typed(
            read_fact,
            fact.kind,
            f"'{fact_id}'",
            minimum=fact.minimum,
            maximum=fact.maximum,
            allowed=fact.allowed,
        )

    # -- logic

    def _bool_operand(self, node: Node, where: str) -> Evaluator:
        typed = self.compile(node)
        if typed.kind != "bool":
            raise ExpressionError(
                f"{typed.label} is a {typed.kind}, but '{where}' needs true or false "
                f"(character {node.position}); compare it, e.g. {typed.label} >= 1"
            )
        return typed.evaluate

    def _not(self, node: NotNode) -> _Typed:
        operand = self._bool_operand(node.operand, "not")

        def negate(context: Context) -> Outcome:
            value, evidence = operand(context)
            if value is None:
                return None, NO_EVIDENCE
            return (not value), evidence

        return _Typed(negate, "bool", "not (...)")

    def _bool_op(self, node: BoolOpNode) -> _Typed:
        operands = tuple(self._bool_operand(operand, node.op) for operand in node.operands)
        decisive = node.op == "or"  # the value that decides: True for or, False for and

        def combine(context: Context) -> Outcome:
            deciding: list[Evidence] = []
            others: list[Evidence] = []
            decided = False
            unknown = False
            for operand in operands:
                value, evidence = operand(context)
                if value is None:
                    unknown = True
                elif value is decisive:
                    decided = True
                    deciding.extend(evidence)
                else:
                    others.extend(evidence)
            if decided:
                return decisive, _unique(deciding)
            if unknown:
                return None, NO_EVIDENCE
            return (not decisive), _unique(others)

        return _Typed(combine, "bool", f"({node.op} ...)")

    def _compare(self, node: CompareNode) -> _Typed:
        left = self.compile(node.left)
        right = self.compile(node.right)
        op = node.op
        if left.kind != right.kind:
            raise ExpressionError(
                f"cannot compare {left.label} (a {left.kind}) with {right.label} "
                f"(a {right.kind}) at character {node.position}"
            )
        if left.kind != "number" and op not in {"==", "!="}:
            raise ExpressionError(
                f"'{op}' needs numbers, but {left.label} is a {left.kind} "
                f"(character {node.position})"
            )
        for literal, other in ((left, right), (right, left)):
            if literal.is_literal and not other.is_literal:
                _check_literal_fits(literal, other)
        compare = _COMPARISONS[op]
        left_eval, right_eval = left.evaluate, right.evaluate

        def evaluate_comparison(context: Context) -> Outcome:
            left_value, left_evidence = left_eval(context)
            if left_value is None:
                return None, NO_EVIDENCE
            right_value, right_evidence = right_eval(context)
            if right_value is None:
                return None, NO_EVIDENCE
            return compare(left_value, right_value), left_evidence + right_evidence

        return _Typed(evaluate_comparison, "bool", f"{left.label} {op} {right.label}")

    # -- functions

    def _call(self, node: CallNode) -> _Typed:
        spec = _FUNCTIONS.get(node.function)
        if spec is None:
            raise ExpressionError(
                f"unknown function '{node.function}' at character {node.position}; known: "
                + ", ".join(sorted(_FUNCTIONS))
            )
        if spec.scope != self.scope:
            needs = "a partner" if spec.scope == "partner" else "all partners (a joint rule)"
            raise ExpressionError(f"{node.function}() needs {needs}; this is a {self.scope} rule")
        args: list[str | int] = []
        for arg in node.args:
            if not isinstance(arg, LiteralNode) or isinstance(arg.value, bool | float):
                raise ExpressionError(
                    f"arguments of {node.function}() must be quoted ids or whole numbers "
                    f"(character {arg.position})"
                )
            args.append(arg.value)
        if not spec.min_args <= len(args) <= spec.max_args:
            raise ExpressionError(
                f"{node.function}() takes {spec.arity_text} (got {len(args)}) "
                f"at character {node.position}"
            )
        return spec.build(self, node.function, args)


_COMPARISONS: Mapping[str, Callable[[object, object], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
    ">": lambda a, b: a > b,  # type: ignore[operator]
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
}


def _kind_check(kind: ValueKind) -> Callable[[object], bool]:
    """A runtime guard: a value of the wrong type reads as unknown, never as a crash."""
    if kind == "bool":
        return lambda value: isinstance(value, bool)
    if kind == "number":
        return lambda value: isinstance(value, int | float) and not isinstance(value, bool)
    return lambda value: isinstance(value, str)


def _check_literal_fits(literal: _Typed, other: _Typed) -> None:
    """A threshold outside the range of what it is compared with is a content error."""
    value = literal.literal
    if other.kind == "number" and isinstance(value, int | float):
        low, high = other.minimum, other.maximum
        if low is not None and high is not None and not low <= value <= high:
            raise ExpressionError(
                f"threshold {value} is outside the range of {other.label} "
                f"({_number(low)}..{_number(high)})"
            )
    allowed = other.allowed
    if other.kind == "string" and isinstance(value, str) and allowed and value not in allowed:
        raise ExpressionError(
            f"{value!r} is not a possible value of {other.label}; expected one of "
            + ", ".join(repr(v) for v in sorted(allowed))
        )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _unique(evidence: Sequence[Evidence]) -> tuple[Evidence, ...]:
    """Evidence without repeats, in first-seen order."""
    if len(evidence) < 2:
        return tuple(evidence)
    return tuple(dict.fromkeys(evidence))


# ------------------------------------------------------------------------- function library


Builder: TypeAlias = Callable[[_Compiler, str, list[str | int]], _Typed]


@dataclass(frozen=True, slots=True)
class _FunctionSpec:
    scope: Scope
    min_args: int
    max_args: int
    build: Builder

    @property
    def arity_text(self) -> str:
        if self.min_args == self.max_args:
            return f"{self.min_args} argument" + ("" if self.min_args == 1 else "s")
        if self.max_args > 99:
            return f"at least {self.min_args} argument" + ("" if self.min_args == 1 else "s")
        return f"{self.min_args} to {self.max_args} arguments"


def _text_arg(name: str, args: list[str | int], index: int, what: str) -> str:
    value = args[index]
    if not isinstance(value, str):
        raise ExpressionError(f"argument {index + 1} of {name}() must be a quoted {what}")
    return value


def _instrument_arg(compiler: _Compiler, name: str, args: list[str | int]) -> InstrumentInfo:
    instrument_id = _text_arg(name, args, 0, "instrument id")
    info = compiler.vocabulary.instruments.get(instrument_id)
    if info is None:
        raise ExpressionError(f"unknown instrument id '{instrument_id}' in {name}()")
    return info


def _build_total(compiler: _Compiler, name: str, args: list[str | int]) -> _Typed:
    info = _instrument_arg(compiler, name, args)
    instrument_id = str(args[0])
    evidence_id = f"{instrument_id}.total"

    def total(context: Context) -> Outcome:
        subject = context.subject
        value = subject.totals.get(instrument_id)
        if value is None:
            return None, NO_EVIDENCE
        return value, (Evidence(subject.partner, evidence_id, value),)

    low, high = info.total_range
    return _Typed(total, "number", f'total("{instrument_id}")', minimum=low, maximum=high)


def _build_threshold(compiler: _Compiler, name: str, args: list[str | int]) -> _Typed:
    info = _instrument_arg(compiler, name, args)
    instrument_id = str(args[0])

    def threshold(context: Context) -> Outcome:
        # A setting, not an answer: it decides nothing by itself, so it carries no evidence.
        return context.subject.thresholds.get(instrument_id), NO_EVIDENCE

    low, high = info.total_range
    return _Typed(threshold, "number", f'threshold("{instrument_id}")', minimum=low, maximum=high)


def _build_item(compiler: _Compiler, name: str, args: list[str | int]) -> _Typed:
    info = _instrument_arg(compiler, name, args)
    instrument_id = str(args[0])
    number = args[1]
    if not isinstance(number, int) or not 1 <= number <= info.item_count:
        raise ExpressionError(
            f'{name}("{instrument_id}", ...) needs an item number from 1 to {info.item_count}'
        )
    index = number - 1
    evidence_id = f"{instrument_id}.item{number}"

    def item(context: Context) -> Outcome:
        subject = context.subject
        answer = subject.instruments.get(instrument_id)
        value: int | None
        if answer is None:
            return None, NO_EVIDENCE
        if isinstance(answer, PtsdScreenAnswer):
            if answer.exposed is None:
                return None, NO_EVIDENCE
            # Items count only after a yes to the exposure gate (they score 0 otherwise).
            value = (
                (answer.items[index] if index < len(answer.items) else None)
                if (answer.exposed)
                else 0
            )
        else:
            value = answer[index] if index < len(answer) else None
        if value is None:
            return None, NO_EVIDENCE
        return value, (Evidence(subject.partner, evidence_id, value),)

    return _Typed(
        item,
        "number",
        f'item("{instrument_id}", {number})',
        minimum=info.item_min,
        maximum=info.item_max,
    )


def _build_exposed(compiler: _Compiler, name: str, args: list[str | int]) -> _Typed:
    info = _instrument_arg(compiler, name, args)
    instrument_id = str(args[0])
    if not info.has_gate:
        raise ExpressionError(f"instrument '{instrument_id}' has no exposure gate")
    evidence_id = f"{instrument_id}.exposed"

    def exposed(context: Context) -> Outcome:
        subject = context.subject
        answer = subject.instruments.get(instrument_id)
        if not isinstance(answer, PtsdScreenAnswer) or answer.exposed is None:
            return None, NO_EVIDENCE
        return answer.exposed, (Evidence(subject.partner, evidence_id, answer.exposed),)

    return _Typed(exposed, "bool", f'exposed("{instrument_id}")')


def _activity_arg(compiler: _Compiler, name: str, args: list[str | int], index: int) -> str:
    activity_id = _text_arg(name, args, index, "activity id")
    if compiler.vocabulary.activity(activity_id) is None:
        raise ExpressionError(f"unknown activity id '{activity_id}' in {name}()")
    return activity_id


def _build_answer(compiler: _Compiler, name: str, args: list[str | int]) -> _Typed:
    activity_id = _activity_arg(compiler, name, args, 0)
    role = _text_arg(name, args, 1, "role")
    if role not in ROLES:
        raise ExpressionError(f"the role in {name}() must be 'giving' or 'receiving'")
    evidence_id = f"activity.{activity_id}.{role}"

    def answer(context: Context) -> Outcome:
        subject = context.subject
        activity = subject.activities.get(activity_id)
        value = None if activity is None else getattr(activity, role)
        if value is None:
            return None, NO_EVIDENCE
        return value, (Evidence(subject.partner, evidence_id, value),)

    label = f'answer("{activity_id}", "{role}")'
    return _Typed(answer, "string", label, allowed=RESPONSE_VALUES)


def _build_experience(compiler: _Compiler, name: str, args: list[str | int]) -> _Typed:
    activity_id = _activity_arg(compiler, name, args, 0)
    evidence_id = f"activity.{activity_id}.experience"

    def experience(context: Context) -> Outcome:
        subject = context.subject
        activity = subject.activities.get(activity_id)
        value = None if activity is None else activity.experience
        if value is None:
            return None, NO_EVIDENCE
        return value, (Evidence(subject.partner, evidence_id, value),)

    label = f'experience("{activity_id}")'
    return _Typed(experience, "string", label, allowed=EXPERIENCE_VALUES)


def _interest_evaluator(activity_ids: tuple[str, ...], novice_only: bool) -> Evaluator:
    """True when the subject said yes or maybe, in either role, to any of the activities.

    With novice_only, only interests whose experience is "none" count. Unknown when nothing
    counts and some of the answers needed to decide were not given.
    """

    def interest(context: Context) -> Outcome:
        subject = context.subject
        partner = subject.partner
        found: list[Evidence] = []
        unknown = False
        for activity_id in activity_ids:
            activity = subject.activities.get(activity_id)
            if activity is None:
                unknown = True
                continue
            hits: list[Evidence] = []
            for role, response in (("giving", activity.giving), ("receiving", activity.receiving)):
                if response in INTERESTED:
                    hits.append(Evidence(partner, f"activity.{activity_id}.{role}", response))
                elif response is None:
                    unknown = True
            if not hits:
                continue
            if novice_only:
                if activity.experience is None:
                    unknown = True
                    continue
                if activity.experience != "none":
                    continue
                hits.append(Evidence(partner, f"activity.{activity_id}.experience", "none"))
            found.extend(hits)
        if found:
            return True, tuple(found)
        return (None if unknown else False), NO_EVIDENCE

    return interest


def _build_any_interest(compiler: _Compiler, name: str, args: list[str | int]) -> _Typed:
    ids = tuple(_activity_arg(compiler, name, args, i) for i in range(len(args)))
    return _Typed(_interest_evaluator(ids, False), "bool", f"{name}(...)")


def _tier_ids(compiler: _Compiler, name: str, args: list[str | int]) -> tuple[str, ...]:
    tiers = set()
    for index in range(len(args)):
        tier = _text_arg(name, args, index, "tier")
        if tier not in compiler.vocabulary.tiers:
            raise ExpressionError(
                f"unknown tier '{tier}' in {name}(); known: "
                + ", ".join(sorted(compiler.vocabulary.tiers))
            )
        tiers.add(tier)
    return tuple(a.id for a in compiler.vocabulary.activities if a.tier in tiers)


def _build_interest_in_tier(compiler: _Compiler, name: str, args: list[str | int]) -> _Typed:
    ids = _tier_ids(compiler, name, args)
    return _Typed(_interest_evaluator(ids, False), "bool", f"{name}(...)")


def _build_novice_interest(compiler: _Compiler, name: str, args: list[str | int]) -> _Typed:
    ids = _tier_ids(compiler, name, args)
    return _Typed(_interest_evaluator(ids, True), "bool", f"{name}(...)")


def _build_interest_in_class(compiler: _Compiler, name: str, args: list[str | int]) -> _Typed:
    classes = set()
    for index in range(len(args)):
        activity_class = _text_arg(name, args, index, "activity class")
        if activity_class not in compiler.vocabulary.classes:
            raise ExpressionError(f"unknown activity class '{activity_class}' in {name}()")
        classes.add(activity_class)
    ids = tuple(a.id for a in compiler.vocabulary.activities if a.activity_class in classes)
    return _Typed(_interest_evaluator(ids, False), "bool", f"{name}(...)")


def _build_demanding_interest(compiler: _Compiler, name: str, args: list[str | int]) -> _Typed:
    ids = tuple(a.id for a in compiler.vocabulary.activities if a.physically_demanding)
    return _Typed(_interest_evaluator(ids, False), "bool", f"{name}()")


def _build_max_difference(compiler: _Compiler, name: str, args: list[str | int]) -> _Typed:
    fact_id = _text_arg(name, args, 0, "fact id")
    fact = compiler.vocabulary.facts.get(fact_id)
    if fact is None:
        raise ExpressionError(f"unknown fact id '{fact_id}' in {name}()")
    if fact.kind != "number" or fact.minimum is None or fact.maximum is None:
        raise ExpressionError(f"{name}() needs a scale fact; '{fact_id}' is a {fact.kind}")

    def max_difference(context: Context) -> Outcome:
        values: list[tuple[str | None, int]] = [
            (subject.partner, value)
            for subject in context.partners
            if isinstance(value := subject.facts.get(fact_id), int) and not isinstance(value, bool)
        ]
        if len(values) < 2:
            return None, NO_EVIDENCE
        low = min(values, key=lambda pair: pair[1])
        high = max(values, key=lambda pair: pair[1])
        difference = high[1] - low[1]
        evidence = (Evidence(low[0], fact_id, low[1]), Evidence(high[0], fact_id, high[1]))
        return difference, evidence

    return _Typed(
        max_difference,
        "number",
        f'{name}("{fact_id}")',
        minimum=0,
        maximum=fact.maximum - fact.minimum,
    )


_COMPLEMENT = {"giving": "receiving", "receiving": "giving"}


def _build_limit_conflict_share(compiler: _Compiler, name: str, args: list[str | int]) -> _Typed:
    def limit_conflict_share(context: Context) -> Outcome:
        best: float | None = None
        best_evidence: tuple[Evidence, ...] = NO_EVIDENCE
        for wanting in context.partners:
            wanted = [
                (activity_id, role)
                for activity_id, answer in wanting.activities.items()
                for role in ROLES
                if getattr(answer, role) == "yes"
            ]
            if not wanted:
                continue
            for other in context.partners:
                if other is wanting:
                    continue
                evidence: list[Evidence] = []
                conflicts = 0
                for activity_id, role in wanted:
                    answer = other.activities.get(activity_id)
                    complement = _COMPLEMENT[role]
                    if answer is not None and getattr(answer, complement) == "limit":
                        conflicts += 1
                        evidence.append(
                            Evidence(wanting.partner, f"activity.{activity_id}.{role}", "yes")
                        )
                        evidence.append(
                            Evidence(other.partner, f"activity.{activity_id}.{complement}", "limit")
                        )
                share = conflicts / len(wanted)
                if best is None or share > best:
                    best, best_evidence = share, tuple(evidence)
        return best, best_evidence

    return _Typed(limit_conflict_share, "number", f"{name}()", minimum=0, maximum=1)


_FUNCTIONS: Mapping[str, _FunctionSpec] = {
    "total": _FunctionSpec("partner", 1, 1, _build_total),
    "item": _FunctionSpec("partner", 2, 2, _build_item),
    "exposed": _FunctionSpec("partner", 1, 1, _build_exposed),
    "threshold": _FunctionSpec("partner", 1, 1, _build_threshold),
    "answer": _FunctionSpec("partner", 2, 2, _build_answer),
    "experience": _FunctionSpec("partner", 1, 1, _build_experience),
    "any_interest": _FunctionSpec("partner", 1, 999, _build_any_interest),
    "interest_in_tier": _FunctionSpec("partner", 1, 999, _build_interest_in_tier),
    "interest_in_class": _FunctionSpec("partner", 1, 999, _build_interest_in_class),
    "novice_interest_in_tier": _FunctionSpec("partner", 1, 999, _build_novice_interest),
    "demanding_interest": _FunctionSpec("partner", 0, 0, _build_demanding_interest),
    "max_difference": _FunctionSpec("joint", 1, 1, _build_max_difference),
    "limit_conflict_share": _FunctionSpec("joint", 0, 0, _build_limit_conflict_share),
}


def compile_condition(text: str, vocabulary: Vocabulary, scope: Scope) -> CompiledCondition:
    """Parse, check and compile one condition.

    Args:
        text: the condition as written in the content.
        vocabulary: the names the content defines.
        scope: "partner" for per-partner rules, "joint" for rules that compare partners.

    Returns:
        The compiled condition; calling it with a Context gives (value, evidence).

    Raises:
        ExpressionError: the condition does not parse, names something unknown, mixes types,
            or compares with a threshold outside the compared value's range.
    """
    compiler = _Compiler(vocabulary, scope)
    typed = compiler.compile(parse(text))
    if typed.kind != "bool":
        raise ExpressionError(f"the condition must be true or false, but it is a {typed.kind}")
    return CompiledCondition(" ".join(text.split()), frozenset(compiler.fact_ids), typed.evaluate)
