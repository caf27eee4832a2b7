"""Generated from govgraph.ttl by `python -m govgraph.ontology.codegen`; do not edit.

A closed namespace: a misspelt term fails at import time, not in a query.
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class GG(DefinedNamespace):
    _NS = Namespace("https://w3id.org/govgraph/ns#")
    _fail = True
    _extras = ['from']  # terms that are Python keywords: use GG['from']

    Action: URIRef
    ActionStatus: URIRef
    AgendaItem: URIRef
    Board: URIRef
    Body: URIRef
    Committee: URIRef
    Deliverable: URIRef
    Document: URIRef
    Evidence: URIRef
    Feed: URIRef
    Forum: URIRef
    Framework: URIRef
    Group: URIRef
    Indicator: URIRef
    Meeting: URIRef
    Objective: URIRef
    ObservationKinds: URIRef
    Organisation: URIRef
    OrganisationKinds: URIRef
    Outcome: URIRef
    Partnership: URIRef
    Plan: URIRef
    Priority: URIRef
    Programme: URIRef
    Project: URIRef
    Recommendation: URIRef
    Report: URIRef
    Resolution: URIRef
    Scheme: URIRef
    Strategy: URIRef
    Theme: URIRef
    Workstream: URIRef
    accountableTo: URIRef
    actual: URIRef
    addresses: URIRef
    agendaItem: URIRef
    aimsAt: URIRef
    apologies: URIRef
    baseline: URIRef
    ccg: URIRef
    chairedBy: URIRef
    complete: URIRef
    council: URIRef
    document: URIRef
    due: URIRef
    dueBy: URIRef
    dueReading: URIRef
    feeds: URIRef
    fire: URIRef
    fromAction: URIRef
    governedBy: URIRef
    hasDeliverable: URIRef
    hasObjective: URIRef
    hasPriority: URIRef
    hasTheme: URIRef
    hops: URIRef
    inPlan: URIRef
    in_progress: URIRef
    indicator: URIRef
    ledBy: URIRef
    lineCount: URIRef
    lineEnd: URIRef
    lineStart: URIRef
    measures: URIRef
    meetingOf: URIRef
    mergeReason: URIRef
    nhs_body: URIRef
    nhs_trust: URIRef
    not_started: URIRef
    number: URIRef
    observationKind: URIRef
    organisationKind: URIRef
    other_org: URIRef
    oversees: URIRef
    owner: URIRef
    page: URIRef
    partOf: URIRef
    period: URIRef
    plan: URIRef
    police: URIRef
    present: URIRef
    progress: URIRef
    quote: URIRef
    rag: URIRef
    recordedMembership: URIRef
    recordedOn: URIRef
    refPeriod: URIRef
    regulator: URIRef
    reportOf: URIRef
    reportsTo: URIRef
    resolution: URIRef
    respondsTo: URIRef
    revisedDue: URIRef
    revisedDueBy: URIRef
    revisedDueReading: URIRef
    serves: URIRef
    slipped: URIRef
    sourceFile: URIRef
    start: URIRef
    status: URIRef
    strategyStatus: URIRef
    successMeasure: URIRef
    target: URIRef
    theme: URIRef
    to: URIRef
    toBody: URIRef
    unit: URIRef
    university: URIRef
    unknown: URIRef
    value: URIRef
    voluntary: URIRef
