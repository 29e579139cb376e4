"""The web side of newstrace: store reads for the HTTP API, the article view, templates and static assets.

Everything a page needs ships inside this package (templates, JavaScript, CSS and the vendored world
map), so the app works on an air-gapped machine: no CDN, no tile server.
"""

from __future__ import annotations

from pathlib import Path

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"
