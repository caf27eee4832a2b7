"""A seeded synthetic region: board papers as TEXT, in the layouts govgraph's parsers read.

    papers(seed, councils)       -> [(file name, text)], one pack per council: minutes of
                                    its board, an action plan, an indicator table
    region_nquads(seed, triples) -> N-Quads of about `triples` quads, made by ingesting
                                    generated papers through the real pipeline and cloning
                                    the result under new council names (for the big tiers)

The same seed gives the same papers and the same graph.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

PLACES = ["Ashbury", "Brackwater", "Calderton", "Dunmere", "Eastholme", "Fernleigh", "Greyford",
          "Hollinsby", "Ivybridge", "Kestrelton", "Longmarsh", "Millbeck", "Northwold", "Oakhurst",
          "Pendlecombe", "Queensferry", "Ravensmoor", "Stonebury", "Thornwick", "Upperfield"]
FIRST = ["Amara", "Tom", "Priya", "James", "Sarah", "Owen", "Grace", "Imran", "Helen", "David", "Ruth", "Kwame"]
LAST = ["Okafor", "Briggs", "Shah", "Ellis", "Hughes", "Morgan", "Patel", "Reid", "Walsh", "Clarke", "Nolan", "Ahmed"]
BODIES = ["Urgent Care Delivery Board", "Discharge Group", "Mental Health Partnership Board",
          "Children's Safeguarding Partnership", "Primary Care Committee", "Prevention Board"]
THEMES = ["Keeping people well at home", "Discharge", "Mental health", "Children and families",
          "Primary care access", "Prevention and healthy lives", "Workforce", "Digital care records"]
VERBS = ["Expand", "Review", "Publish", "Commission", "Recruit", "Pilot", "Evaluate", "Integrate"]
OBJECTS = ["falls response service", "step-down beds", "winter communications plan", "care navigator team",
           "frailty pathway", "social prescribing offer", "discharge to assess model", "shared care record"]
RAG = ["Green", "Amber", "Red", "Blue", ""]
INDICATORS = ["Emergency admissions per 100,000", "Delayed transfers of care", "Smoking prevalence %",
              "Childhood obesity %", "Flu vaccination uptake %", "Readmissions within 30 days"]


def _person(r: random.Random) -> str:
    return f"{r.choice(FIRST)} {r.choice(LAST)}"


def council_pack(r: random.Random, place: str, actions_per_theme: int = 4, themes: int = 4) -> str:
    board = f"{place} Health and Wellbeing Board"
    bodies = [f"{place} {b}" for b in r.sample(BODIES, 4)]
    day = r.randint(1, 28)
    lines = [f"{place} City Council",
             f"Minutes of the Meeting of {board} held at 2.00 pm",
             f"on Monday, {day} January 2019", "", "Present:", "",
             f"Board Members: Councillor {r.choice(LAST)} (Chair)"]
    lines += [f"{_person(r)}, {r.choice(['Director of Public Health', 'Chief Officer', 'Medical Director'])}"
              for _ in range(6)]
    lines += ["", f"Apologies: Councillor {r.choice(LAST)}", f"{_person(r)}, {place} Healthwatch", "",
              "Public Business", ""]
    for i, title in enumerate(["Declarations of Interest", "Minutes of Previous Meeting",
                               f"{place} Winter Plan", "Any other items of public business"], start=1):
        lines += [f"{i}. **{title}**", "", f"The Board noted the {title.lower()}.", ""]
    lines += ["(Meeting closed at 4.00 pm)", "", "",
              f"# {place} Integrated Care Partnership", f"## {place} Improvement Action Plan 2019/20", "",
              f"This plan is owned by the {board} with delivery through the bodies named below.", ""]
    for t in range(themes):
        lead = bodies[t % len(bodies)]
        lines += [f"**Priority {t + 1}: {THEMES[(t + r.randint(0, 7)) % len(THEMES)]}**", "",
                  f"**Lead body:** {lead}", "", f"**Aim:** Better outcomes for {place} residents ({t + 1}).", "",
                  "Ref\tAction\tLead\tGovernance\tStart\tDeadline\tUpdate\tRAG"]
        for a in range(actions_per_theme):
            gov = r.choice(bodies + [board])
            lines.append(f"P{t + 1}.{a + 1}\t{r.choice(VERBS)} the {r.choice(OBJECTS)} in {place} ({a + 1})\t"
                         f"{place} City Council {_person(r)}\t{gov}\t1 November 2019\t31 March 2020\t"
                         f"{r.choice(['On track', 'Delayed by recruitment', 'Complete', ''])}\t{r.choice(RAG)}")
        lines.append("")
    lines += [f"Indicators: {place} outcomes", "",
              "Indicator\tBaseline 2016/17\t2017/18\tTarget 2018/19"]
    for name in INDICATORS:
        base = r.uniform(5, 500)
        lines.append(f"{name}\t{base:.1f}\t{base * r.uniform(0.8, 1.2):.1f}\t{base * 0.9:.1f}")
    return "\n".join(lines) + "\n"


def papers(seed: int, councils: int, **kw) -> list[tuple[str, str]]:
    r = random.Random(seed)
    out = []
    for i in range(councils):
        place = PLACES[i % len(PLACES)] + ("" if i < len(PLACES) else f" {i // len(PLACES) + 1}")
        out.append((f"{i:03d}_{re.sub(r'[^a-z0-9]+', '-', place.lower())}.txt", council_pack(r, place, **kw)))
    return out


def write_papers(folder: Path, seed: int, councils: int, **kw) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in papers(seed, councils, **kw):
        p = folder / name
        p.write_text(text, "utf-8")
        paths.append(p)
    return paths


def clone_nquads(base_nq: str, copies: int, target: int | None = None) -> str:
    """`copies` renamed copies of a region: every IRI under a document or entity path and
    every place name gets a copy number, so copies are disjoint graphs of the same shape."""
    lines = base_nq.splitlines()
    out: list[str] = []
    iri = re.compile(r"<(http://127\.0\.0\.1:8000/id/)([^>]*)>")
    names = re.compile(r"\b(" + "|".join(PLACES) + r")\b")
    for k in range(copies):
        tag = f"r{k}"
        for line in lines:
            line = iri.sub(lambda m: f"<{m.group(1)}{tag}/{m.group(2)}>", line)
            out.append(names.sub(lambda m: f"{m.group(1)} {tag}", line))
            if target and len(out) >= target:
                return "\n".join(out) + "\n"
    return "\n".join(out) + "\n"
