"""The ingest pipeline: paper -> records -> resolved RDF -> one atomic write.

A paper's graph is built and checked in memory first; only then is its named graph
replaced in one transaction, so a failure leaves the store as it was.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from rdflib import RDF, Graph
from rdflib.term import Node

from govgraph.errors import GovGraphError, SourceError, ValidationFailed
from govgraph.graph import trace
from govgraph.graph.labels import relabel
from govgraph.graph.queries import internal
from govgraph.graph.resolve import Merge, Resolver, kind_for_class
from govgraph.graph.sparql import select
from govgraph.graph.store import Store, Triple, as_graph
from govgraph.graph.validate import problems
from govgraph.ingest.emit import doc_iri, emit
from govgraph.ingest.extract import extract
from govgraph.ingest.source import Source, is_paper, read_source
from govgraph.ontology import vocabulary
from govgraph.ontology.namespace import GG

# The vocabulary travels with the data, so notations and labels of concepts answer.
VOCABULARY_GRAPH = "https://w3id.org/govgraph/ns"


@dataclass
class PaperResult:
    path: str
    doc: str
    triples: int
    counts: dict[str, int]
    merges: list[Merge]
    diagnostics: list[str]


@dataclass
class IngestReport:
    papers: list[PaperResult] = field(default_factory=list)
    errors: list[GovGraphError] = field(default_factory=list)
    feeds: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def expand_paths(paths: Iterable[Path]) -> tuple[list[Path], list[SourceError]]:
    """Files as given; folders walked for papers. Missing paths and empty folders are errors."""
    files: list[Path] = []
    errors: list[SourceError] = []
    for p in paths:
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and is_paper(f))
            if not found:
                errors.append(SourceError(str(p), "this folder holds no papers (.txt, .md, .pdf, .docx, .html, .xlsx, .csv)", "point at a folder of board papers"))
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            errors.append(SourceError(str(p), "no such file or folder", "check the path"))
    return files, errors


def seed_resolver(store: Store, resolver: Resolver) -> None:
    """Teach the resolver every node the store already names."""
    labels: dict[str, tuple[str, list[str]]] = {}
    periods: dict[str, str] = {}  # a strategy's edition
    titled: set[str] = set()  # an action plan: its paper's record states its label
    for row in select(store, internal("known_entities")).rows:
        e, cls = str(row["e"]), str(row["cls"])
        kind = kind_for_class(cls)
        if kind is None:
            continue
        entry = labels.setdefault(e, (kind, [str(row["label"])]))
        if kind not in ("programme", "strategy") and entry[0] in ("programme", "strategy"):
            # A workstream is typed both gg:Workstream and gg:Programme (a framework both
            # gg:Framework and gg:Strategy): keep the specific kind.
            entry = labels[e] = (kind, entry[1])
        if "alt" in row and str(row["alt"]) not in entry[1]:
            entry[1].append(str(row["alt"]))
        if "period" in row:
            periods.setdefault(e, str(row["period"]))
        if row.get("titled") is not None and row["titled"].toPython() is True:
            titled.add(e)
    # A store lists a node's rows, and texts, in an order of its own (oxigraph's follows
    # its hashes of the terms; another server's anything): sorted here, so what the
    # resolver compares first is the same on every store and in every run.
    for iri, (kind, names) in labels.items():
        resolver.add_known(iri, kind, [names[0], *sorted(names[1:])], periods.get(iri), titled=iri in titled)
    texts = ((str(row["type"]), str(row["node"]), str(row["text"])) for row in select(store, internal("known_texts")).rows)
    for type_name, node, text in sorted(texts):
        resolver.add_text(type_name, node, text)


COUNTED = {
    "actions": GG.Action, "themes": GG.Theme, "bodies": GG.Body, "organisations": GG.Organisation,
    "programmes": GG.Programme, "recommendations": GG.Recommendation, "outcomes": GG.Outcome,
}


def build_triples(src: Source, base: str, store: Store | None = None) -> tuple[set[Triple], Resolver, list[str]]:
    """One paper's whole graph as triples, resolved against what the store already holds."""
    ex = extract(src)
    resolver = Resolver(base, {a.short: a.long for a in ex.abbreviations}, ex.place)
    if store is not None:
        seed_resolver(store, resolver)
    triples = emit(base, ex, resolver, len(src.lines), Path(src.path).name)
    return triples, resolver, ex.diagnostics


def build_graph(src: Source, base: str, store: Store | None = None) -> tuple[Graph, Resolver, list[str]]:
    """One paper's whole graph as an rdflib Graph (ingest itself keeps the triples)."""
    triples, resolver, diagnostics = build_triples(src, base, store)
    return as_graph(triples), resolver, diagnostics


def ingest_file(path: Path, store: Store, base: str, *, check: bool = True) -> PaperResult:
    """Build a paper's graph in memory, check it against the shapes, then replace its
    named graph in one transaction: a paper that fails lands not at all."""
    src = read_source(path)
    triples, resolver, diagnostics = build_triples(src, base, store)
    if check:
        found = problems(triples, vocabulary())
        if found:
            raise ValidationFailed(found)
    doc = str(doc_iri(base, src.doc_id))
    store.replace_graph(doc, triples)
    relabel(store, doc, resolver.relabelled())  # earlier papers call a node by its fuller name too
    typed: dict[Node, set[Node]] = defaultdict(set)
    rdf_type = RDF.type  # looked up once: a namespace attribute costs a call
    for s, p, o in triples:
        if p == rdf_type:
            typed[o].add(s)
    counts = {name: len(typed[cls]) for name, cls in COUNTED.items()}
    counts["evidence"] = len(typed[GG.Evidence])
    return PaperResult(str(path), doc, len(triples), counts, resolver.merges, diagnostics)


def ingest_paths(
    paths: Iterable[Path],
    store: Store,
    base: str,
    progress: Callable[[Path], None] | None = None,
    *,
    check: bool = True,
) -> IngestReport:
    """Ingest every paper; good ones land even when others fail, and all problems are
    reported. `check=False` skips the per-paper shape check (for bulk loads that run
    `govgraph validate` once at the end)."""
    files, errors = expand_paths(paths)
    report = IngestReport(errors=list(errors))
    for f in files:
        if progress:
            progress(f)
        try:
            report.papers.append(ingest_file(f, store, base, check=check))
        except GovGraphError as exc:
            report.errors.append(exc)
    if report.papers:
        store.replace_graph(VOCABULARY_GRAPH, vocabulary())
        report.feeds = trace.refresh(store, base)
    return report


def summary(result: PaperResult) -> str:
    found = Counter({k: v for k, v in result.counts.items() if v})
    parts = ", ".join(f"{v} {k}" for k, v in found.items()) or "nothing govgraph reads yet"
    return f"{result.path}: {parts}; {result.triples} triples"
