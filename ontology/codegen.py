"""Renders namespace.py from govgraph.ttl, so the closed namespace never drifts.

    python -m govgraph.ontology.codegen > ontology/namespace.py
"""

from __future__ import annotations

import keyword

from rdflib import URIRef

from govgraph.ontology import NS, vocabulary


def terms() -> list[str]:
    g = vocabulary()
    return sorted({str(s)[len(NS) :] for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)})


def render_namespace() -> str:
    names = terms()
    plain = [t for t in names if t.isidentifier() and not keyword.iskeyword(t)]
    extras = [t for t in names if t not in plain]
    out = [
        '"""Generated from govgraph.ttl by `python -m govgraph.ontology.codegen`; do not edit.',
        "",
        "A closed namespace: a misspelt term fails at import time, not in a query.",
        '"""',
        "",
        "from rdflib.namespace import DefinedNamespace, Namespace",
        "from rdflib.term import URIRef",
        "",
        "",
        "class GG(DefinedNamespace):",
        '    _NS = Namespace("https://w3id.org/govgraph/ns#")',
        "    _fail = True",
        f"    _extras = {extras!r}  # terms that are Python keywords: use GG['from']",
        "",
    ]
    out += [f"    {t}: URIRef" for t in plain]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(render_namespace(), end="")
