"""A seeded synthetic region: board papers as TEXT, in the layouts govgraph's parsers read.

    papers(seed, councils)       -> [(file name, text)], three papers per council: a pack
                                    (the next meeting's agenda, minutes of its board with
                                    resolutions and reporting lines, an action plan whose
                                    themes answer the review, an indicator table), the
                                    regulator's review with its areas for improvement, and
                                    a programme report under a cover sheet
    clone_nquads(nq, copies)     -> N-Quads of the region cloned under new council names
                                    (for the big tiers)

Every competency query has rows in every region (bench/run.py reports rows per query
per tier). The same seed gives the same papers and the same graph.
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
WORKSTREAMS = [("Frailty", "keep frail older people well at home for longer"),
               ("Children's Mental Health", "cut waiting times for a first assessment"),
               ("Discharge to Assess", "discharge people on the day they are ready"),
               ("Care Home Support", "reduce avoidable admissions from care homes")]
# Areas for improvement, each unlike the others (recommendations with nearly the same
# text are one node: a plan quotes its review).
FINDINGS = ["Agree a joint strategic plan for older people based on current and predicted need",
            "Use system-wide performance data to drive improvement and set shared targets",
            "Build a workforce strategy for recruitment and retention across health and social care",
            "Create a public engagement strategy that reaches seldom heard groups",
            "Deliver shared care records through digital interoperability",
            "Provide a single point of access for navigation and advice",
            "Roll out and evaluate social prescribing in every primary care network",
            "Reduce avoidable admissions from care homes with pharmacist led medication reviews",
            "Start discharge planning on admission and embed red and green bed days",
            "Improve the handling of medicines on discharge to care homes",
            "Staff discharge teams and senior decision makers at weekends",
            "Extend trusted assessors to every discharge to assess pathway",
            "Strengthen working relationships between commissioners and GP providers",
            "Develop a shared view of risk and positive risk taking",
            "Commission crisis support for people with mental health needs around the clock",
            "Publish a market position statement for domiciliary care providers"]
INDICATORS = ["Emergency admissions per 100,000", "Delayed transfers of care", "Smoking prevalence %",
              "Childhood obesity %", "Flu vaccination uptake %", "Readmissions within 30 days"]


def _person(r: random.Random) -> str:
    return f"{r.choice(FIRST)} {r.choice(LAST)}"


def council_pack(r: random.Random, place: str, recs: list[str], actions_per_theme: int = 4, themes: int = 4) -> str:
    """The board's pack: the next meeting's agenda, minutes of the last one (attendance,
    resolutions, reporting lines), an indicator table, an action plan whose themes answer `recs`."""
    board = f"{place} Health and Wellbeing Board"
    bodies = [f"{place} {b}" for b in r.sample(BODIES, 4)]
    day = r.randint(1, 28)
    lines = [board, "", "Time and Date", "", f"2.00 pm on Monday, {day}th March, 2019", "", "Place", "",
             f"Committee Room {r.randint(1, 5)} - Council House", "", "Public Business", "",
             "1. **Welcome and Apologies for Absence**", "2. **Declarations of Interest**",
             f"3. **{place} Winter Plan**", "", f"Report of {_person(r)}, Director of Public Health", "",
             "4. **Local System Review Action Plan**", "", f"Report of {_person(r)}, Chief Officer", "", ""]
    lines += [f"{place} City Council",
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
        if i >= 3:
            lines += [f"RESOLVED that the {title.lower()} be noted and brought back in {r.choice(THEMES).lower()}.", ""]
    # Reporting lines: two of the four bodies are left without one (gaps finds them).
    lines += ["5. **Governance of the partnership**", "",
              f"The Board noted that the {bodies[1]} reports to the {bodies[0]}.",
              f"The {bodies[0]} is accountable to the {board}.", "",
              "RESOLVED that:", "", f"(1) The governance of the {place} partnership be noted.", "",
              f"(2) A review of the {bodies[2]} be brought to a future meeting.", "",
              "(Meeting closed at 4.00 pm)", "", "",
              f"# {place} Outcomes Framework", "", f"Indicators: {place} outcomes", "",
              "Indicator\tBaseline 2016/17\t2017/18\tTarget 2018/19"]
    for name in INDICATORS:
        base = r.uniform(5, 500)
        lines.append(f"{name}\t{base:.1f}\t{base * r.uniform(0.8, 1.2):.1f}\t{base * 0.9:.1f}")
    lines += ["", "",
              f"# {place} Integrated Care Partnership", f"## {place} Improvement Action Plan 2019/20", "",
              f"This plan is owned by the {board} with delivery through the bodies named below.", ""]
    for t in range(themes):
        lead = bodies[t % len(bodies)]
        lines += [f"**Priority {t + 1}: {THEMES[(t + r.randint(0, 7)) % len(THEMES)]}**", "",
                  f"**Lead body:** {lead}", ""]
        if t < themes - 1:  # the last theme states no aim: its actions serve no outcome
            lines += [f"**Aim:** Better outcomes for {place} residents ({t + 1}).", ""]
        if t < len(recs) - 1:  # the last recommendation is left unanswered
            lines += [f"**CQC recommendations:** {recs[t]}", ""]
        lines.append("Ref\tAction\tLead\tGovernance\tStart\tDeadline\tUpdate\tRAG")
        for a in range(actions_per_theme):
            # The last theme's first action names no governance body.
            gov = "" if (t, a) == (themes - 1, 0) else r.choice(bodies + [board])
            lines.append(f"P{t + 1}.{a + 1}\t{r.choice(VERBS)} the {r.choice(OBJECTS)} in {place} ({a + 1})\t"
                         f"{place} City Council {_person(r)}\t{gov}\t1 November 2019\t31 March 2020\t"
                         f"{r.choice(['On track', 'Delayed by recruitment', 'Complete', ''])}\t{r.choice(RAG)}")
        lines.append("")
    return "\n".join(lines) + "\n"


def review(r: random.Random, place: str, recs: list[str]) -> str:
    """The regulator's review of the place: its areas for improvement are `recs`."""
    lines = [place, "", "Local system review report", "",
             f"Lead reviewer: {_person(r)}, Care Quality Commission", "",
             "Areas for improvement", "", "We suggest the following areas of focus for the system to secure improvement", ""]
    return "\n".join(lines + [f"- {rec}." for rec in recs]) + "\n"


def programme_report(r: random.Random, place: str, governed: bool) -> str:
    """A programme update under a cover sheet: a report, a programme, its workstreams,
    who leads it and (when `governed`) which board governs it."""
    lines = [f"To: {place} Health and Wellbeing Board", f"Date: {r.randint(1, 28)} July 2019",
             f"From: {_person(r)}, Programme Director", f"Title: {place} Integrated Care Programme update", "",
             "1. Purpose", "This report updates the Board on the programme.", "", "2. Workstreams"]
    for i, (name, aim) in enumerate(r.sample(WORKSTREAMS, 2), start=1):
        lines += [f"2.{i} {name}", f"The aim of the workstream is to {aim}.", ""]
    lines += ["3. Finance", "The programme is on budget.", ""]
    if governed:
        lines.append(f"On behalf of: {place} Integrated Care Board")
    return "\n".join(lines) + "\n"


def papers(seed: int, councils: int, **kw) -> list[tuple[str, str]]:
    r = random.Random(seed)
    out = []
    for i in range(councils):
        place = PLACES[i % len(PLACES)] + ("" if i < len(PLACES) else f" {i // len(PLACES) + 1}")
        slug = f"{i:03d}_{re.sub(r'[^a-z0-9]+', '-', place.lower())}"
        recs = [f"{FINDINGS[(4 * i + k) % len(FINDINGS)]} in {place}" for k in range(4)]
        out.append((f"{slug}.txt", council_pack(r, place, recs, **kw)))
        out.append((f"{slug}-review.txt", review(r, place, recs)))
        out.append((f"{slug}-programme.txt", programme_report(r, place, governed=i % 2 == 0)))
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
    every place name gets a copy number, so copies are disjoint graphs of the same shape.
    With `target`, stop at the end of the named graph (a whole paper) in which the count
    of quads reaches it: a tier holds whole papers, never half of one."""
    # The vocabulary's graph first and once: every tier, however small, holds it whole.
    ours = [line for line in base_nq.splitlines() if "http://127.0.0.1:8000/id/" in line.rsplit(" <", 1)[-1]]
    vocab = [line for line in base_nq.splitlines() if "http://127.0.0.1:8000/id/" not in line.rsplit(" <", 1)[-1]]
    out: list[str] = []
    iri = re.compile(r"<(http://127\.0\.0\.1:8000/id/)([^>]*)>")
    names = re.compile(r"\b(" + "|".join(PLACES) + r")\b")
    for k in range(copies):
        tag = f"r{k}"
        last_graph = None
        for line in (vocab if k == 0 else []) + ours:
            graph = line[line.rstrip(" .").rfind(" <"):]
            if target and len(out) >= target and graph != last_graph:
                return "\n".join(out) + "\n"
            last_graph = graph
            line = iri.sub(lambda m: f"<{m.group(1)}{tag}/{m.group(2)}>", line)
            out.append(names.sub(lambda m: f"{m.group(1)} {tag}", line))
    return "\n".join(out) + "\n"
