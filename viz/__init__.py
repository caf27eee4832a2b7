"""Views of the governance graph: interactive HTML, print (SVG/PDF/PNG) and tables.

viz only renders: graph/views.py computes each view's subgraph from the store.
"""

from govgraph.viz.render import FORMATS, VIEWS, format_for, render_view, write_view

__all__ = ["FORMATS", "VIEWS", "format_for", "render_view", "write_view"]
