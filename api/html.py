"""HTML pages: one layout, everything escaped, a strict Content-Security-Policy.

Labels and quotes come from board papers: they are data, never markup. Every value
passes through `esc` (or `json_script` for data handed to a page's script), and pages
load scripts only from this server's /static, so even a label that slipped through
could not run.
"""

from __future__ import annotations

import json
from functools import cache
from html import escape
from importlib import resources
from string import Template
from urllib.parse import urlsplit

from fastapi.responses import HTMLResponse

# Pages run only scripts and styles from /static (inline styles are allowed for the
# editor components, which set them); no other host is contacted.
CSP_APP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)
# Entity pages and views are meant to be embedded by other sites: no scripts at all.
CSP_EMBEDDABLE = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors *"
)


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def json_script(data: object) -> str:
    """JSON safe to place inside <script type="application/json">."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def safe_href(url: str) -> str | None:
    """An escaped href for http(s) and site-relative links; None for anything else
    (javascript:, data: and friends never become links)."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") or (not parts.scheme and url.startswith("/")):
        return esc(url)
    return None


@cache
def template(name: str) -> Template:
    return Template(resources.files("govgraph.api").joinpath("templates", name).read_text("utf-8"))


def page(title: str, body: str, *, head: str = "", scripts: tuple[str, ...] = (), embeddable: bool = False,
         status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    """A whole page around already-escaped `body` markup."""
    html = template("layout.html").substitute(
        title=esc(title),
        head=head,
        body=body,
        scripts="".join(f'<script src="{esc(s)}"></script>' for s in scripts),
    )
    all_headers = {
        "Content-Security-Policy": CSP_EMBEDDABLE if embeddable else CSP_APP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
    all_headers.update(headers or {})
    return HTMLResponse(html, status_code=status, headers=all_headers)
