"""Typed records that extractors return: pure data, each value carrying its span.

A `Cell` is a literal value and the passage it came from; a `Mention` is a name that
graph/ resolves to one node (a body, organisation, person, programme or strategy). The emitter
turns records into RDF using `mapping.toml`, so records know nothing of RDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cache


@cache
def field_names(cls: type) -> tuple[str, ...]:
    """A record type's fields, read once: the emitter and the extractors' walks over
    nested records ask for them of every record."""
    return tuple(f.name for f in fields(cls))


@dataclass(frozen=True, slots=True)
class Span:
    """Lines `first`..`last` (1-based, inclusive); `quote` stands as written within them."""

    first: int
    last: int
    quote: str


@dataclass(frozen=True, slots=True)
class Cell:
    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class Alias(Cell):
    """Another name a paper gives a thing, and why the extractor took it for that thing
    (emitted as the altLabel's gg:mergeReason, so the merge is auditable)."""

    reason: str = ""


@dataclass(frozen=True, slots=True)
class Mention:
    """A name as written. `kind` is a hint: body, organisation, person, programme,
    strategy, framework, plan or any. `period` is a strategy's edition ('2016-2019')."""

    text: str
    kind: str
    span: Span
    role: str | None = None
    organisation: "Mention | None" = None
    part_of: "Mention | None" = None
    period: str | None = None
    also: tuple[str, ...] = ()  # other names the paper gives the same thing, tried when this names none


@dataclass(frozen=True, slots=True)
class Abbreviation:
    """Another name for something, and how the paper gives it (`how`)."""

    short: str
    long: str
    span: Span
    how: str = "the paper's abbreviations"


@dataclass(slots=True)
class Theme:
    number: Cell
    title: Cell
    span: Span
    leads: list[Mention] = field(default_factory=list)
    lead_people: list[Mention] = field(default_factory=list)
    outcomes: list[Cell] = field(default_factory=list)
    recommendations: list[Cell] = field(default_factory=list)


@dataclass(slots=True)
class Action:
    number: Cell
    title: Cell
    span: Span
    theme: Cell | None = None
    leads: list[Mention] = field(default_factory=list)
    governance: list[Mention] = field(default_factory=list)
    start: Cell | None = None
    due: Cell | None = None
    revised_due: Cell | None = None
    success: list[Cell] = field(default_factory=list)
    progress: Cell | None = None
    rag: Cell | None = None
    status: Cell | None = None
    outcomes: list[Cell] = field(default_factory=list)
    due_by: Cell | None = None
    due_reading: Cell | None = None
    revised_due_by: Cell | None = None
    revised_due_reading: Cell | None = None


@dataclass(slots=True)
class Plan:
    title: Cell
    span: Span
    period: Cell | None = None
    owner: Mention | None = None
    themes: list[Theme] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)


@dataclass(slots=True)
class Extraction:
    """Everything one paper yields, plus what the extractors could not place."""

    doc_id: str
    path: str
    title: str
    place: str | None = None
    pages: tuple[int, ...] | None = None  # the page of each line, for papers with pages
    records: list[object] = field(default_factory=list)
    abbreviations: list[Abbreviation] = field(default_factory=list)
    people: list[Mention] = field(default_factory=list)
    diagnostics: list[str] = field(default_factory=list)
    date: Cell | None = None  # the day the paper speaks for (ingest/dated.py)


# -- meetings: agendas, minutes, report cover sheets ------------------------------


@dataclass(slots=True)
class Resolution:
    """One decision, or one numbered clause of a decision. `meeting`, `item` and
    `number` only build its IRI."""

    text: Cell
    span: Span
    meeting: Cell
    item: Cell
    number: Cell


@dataclass(slots=True)
class AgendaItem:
    """An item on a meeting's agenda. `meeting` (the meeting's key) only builds its IRI."""

    number: Cell
    title: Cell
    span: Span
    meeting: Cell
    report_of: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class Minute:
    """A numbered minute of a meeting, with what it resolved."""

    number: Cell
    title: Cell
    span: Span
    meeting: Cell
    resolutions: list[Resolution] = field(default_factory=list)


@dataclass(slots=True)
class Membership:
    """A person's place on a body (member, chair) as a paper records it on a date.
    `key` ('<person> <body> <role>') names the node."""

    key: Cell
    span: Span
    member: Mention
    body: Mention
    role: Cell | None = None
    recorded: Cell | None = None


@dataclass(slots=True)
class Meeting:
    """A meeting of a body. `key` ('<body> <ISO date>') names the node, so an agenda and
    another paper's minutes of the same meeting meet in one node."""

    key: Cell
    span: Span
    body: Mention | None = None
    date: Cell | None = None
    time: Cell | None = None
    place: Cell | None = None
    items: list[AgendaItem] = field(default_factory=list)
    minutes: list[Minute] = field(default_factory=list)
    present: list[Mention] = field(default_factory=list)
    apologies: list[Mention] = field(default_factory=list)
    members: list[Membership] = field(default_factory=list)


@dataclass(slots=True)
class Report:
    """A report's cover sheet: title, the body it goes to, who it is from, its date."""

    title: Cell
    span: Span
    to: list[Mention] = field(default_factory=list)
    authors: list[Mention] = field(default_factory=list)
    date: Cell | None = None


# -- reviews and governance prose ---------------------------------------------------


@dataclass(slots=True)
class Review:
    """A review report (e.g. a regulator's) and the recommendations it makes."""

    title: Cell
    span: Span
    by: Mention | None = None
    recommendations: list[Cell] = field(default_factory=list)


@dataclass(slots=True)
class Relation:
    """A governance relation stated in prose: 'X reports to Y'. `predicate` is a CURIE."""

    subject: Mention
    predicate: str
    object: Mention
    span: Span


# -- programmes --------------------------------------------------------------------------


@dataclass(slots=True)
class ProgrammeDetail:
    """What a paper says a programme, workstream or scheme sets out to do: objectives,
    deliverables and the metrics it is judged by. `programme` is the name the resolver
    turns into the programme's one node, so what several papers say gathers there."""

    programme: Mention
    span: Span
    objectives: list[Objective] = field(default_factory=list)
    deliverables: list[Cell] = field(default_factory=list)
    metrics: list[Cell] = field(default_factory=list)


# -- indicators (RDF Data Cube) -------------------------------------------------------


@dataclass(slots=True)
class Observation:
    """One value of an indicator: its period and kind (baseline, actual, plan, target)
    as the table's header gives them. `key` names the node."""

    key: Cell
    span: Span
    period: Cell
    kind: Cell
    value: Cell


@dataclass(slots=True)
class Indicator:
    """A row of an indicator table. A breakdown row ('Ambition', 'Routes' under one
    indicator) is an indicator of its own, `parent` naming the one it breaks down."""

    name: Cell
    span: Span
    code: Cell | None = None
    alt: list[Cell] = field(default_factory=list)
    unit: Cell | None = None
    definition: Cell | None = None
    measures: list[Cell] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    parent: str | None = None
    owners: list[Mention] = field(default_factory=list)  # who owns or reports it


# -- strategies, frameworks and plans --------------------------------------------------


@dataclass(slots=True)
class Objective:
    text: Cell
    span: Span


@dataclass(slots=True)
class Priority:
    """A priority (or theme) of a strategy. `strategy` (the strategy's key) only builds
    its IRI, so one priority listed twice in a paper is one node."""

    title: Cell
    span: Span
    strategy: Cell
    number: Cell | None = None
    objectives: list[Objective] = field(default_factory=list)
    outcomes: list[Cell] = field(default_factory=list)


@dataclass(slots=True)
class Strategy:
    """A strategy, framework or plan a paper presents or names. `kind` is Strategy,
    Framework or Plan; `key` (name and period, without the home place) names the node."""

    title: Cell
    span: Span
    kind: Cell
    key: Cell
    period: Cell | None = None
    status: Cell | None = None
    owner: list[Mention] = field(default_factory=list)
    alt: list[Cell] = field(default_factory=list)
    priorities: list[Priority] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    outcomes: list[Cell] = field(default_factory=list)

    @property
    def name(self) -> Mention:
        """The strategy as a name to resolve across papers (its edition by its period)."""
        return Mention(self.title.value, self.kind.value.lower(), self.title.span,
                       period=self.period.value if self.period else None, also=tuple(a.value for a in self.alt))
