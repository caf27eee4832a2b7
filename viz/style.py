"""How each kind of entity and each action status looks, on screen and on paper.

One table serves the interactive view (vis-network shapes), the printed view (Graphviz
shapes) and both legends, so the map and the board pack read the same way. Action
status uses the BRAG convention of NHS and council highlight reports: blue complete,
green in progress, amber not started, red slipped, grey when the paper gives none.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Look:
    name: str          # legend text
    colour: str        # fill
    font: str          # text colour on the fill
    vis_shape: str     # vis-network shape
    dot_shape: str     # Graphviz shape
    size: int = 18


KINDS: dict[str, Look] = {
    "body": Look("Governance body (board, committee, group)", "#1d4f5c", "#ffffff", "box", "box"),
    "organisation": Look("Organisation", "#5b3f8f", "#ffffff", "ellipse", "ellipse"),
    "programme": Look("Programme or workstream", "#b45309", "#ffffff", "hexagon", "hexagon", 22),
    "plan": Look("Plan or strategy", "#4a5568", "#ffffff", "database", "cylinder"),
    "theme": Look("Theme of a plan", "#f3e3b5", "#1a202c", "box", "folder"),
    "action": Look("Action (colour = status)", "#a0aec0", "#1a202c", "dot", "box", 12),
    "actions": Look("Group of actions (colour = worst status)", "#a0aec0", "#1a202c", "square", "box3d", 18),
    "outcome": Look("Outcome or priority", "#276749", "#ffffff", "star", "octagon", 18),
    "recommendation": Look("Review recommendation", "#9b2c2c", "#ffffff", "triangleDown", "invtriangle", 14),
    "indicator": Look("Indicator", "#2c5282", "#ffffff", "triangle", "triangle", 14),
    "person": Look("Person", "#97266d", "#ffffff", "diamond", "egg", 12),
}

STATUSES: dict[str, tuple[str, str]] = {
    "complete": ("Complete", "#2b6cb0"),
    "in_progress": ("In progress", "#38a169"),
    "not_started": ("Not started", "#ecc94b"),
    "slipped": ("Slipped", "#e53e3e"),
    "unknown": ("No status given", "#a0aec0"),
}


def look(kind: str) -> Look:
    found = KINDS.get(kind)  # not KINDS.get(kind, Look(...)): that makes a Look on every call
    return found if found is not None else Look(kind, "#cbd5e0", "#1a202c", "ellipse", "ellipse")


def fill(kind: str, status: str | None) -> str:
    if kind in ("action", "actions") and status in STATUSES:
        return STATUSES[status][1]
    return look(kind).colour


def font_colour(kind: str, status: str | None) -> str:
    if kind in ("action", "actions"):
        return "#ffffff" if status in ("complete", "slipped") else "#1a202c"
    return look(kind).font


def status_label(status: str | None) -> str:
    return STATUSES.get(status or "", (status or "", ""))[0]


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def wrap(text: str, width: int, lines: int = 3) -> list[str]:
    """Greedy word wrap to at most `lines` lines, the last one shortened with an ellipsis."""
    out: list[str] = []
    current = ""
    words = text.split()
    for i, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate
            continue
        out.append(current)
        current = word
        if len(out) == lines - 1:
            current = " ".join(words[i:])
            break
    if current:
        out.append(shorten(current, width))
    return out[:lines]
