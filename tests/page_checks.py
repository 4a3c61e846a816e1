"""Checks a careful user runs on a page in headless Chromium: axe-core (WCAG 2.2 AA) and reflow at
320 px. axe-core is the npm package pinned in ``tests/browser/package.json`` (``make browser``
installs it); the product's CSP blocks an injected script, so pages under check are opened in a
context that bypasses it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).with_name("browser") / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
NARROW = {"width": 320, "height": 800}


def axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on the page as it stands, one line each."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [
        f"{v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'][:3])})"
        for v in found["violations"]
    ]


def scrolls_sideways(page: Any) -> bool:
    """True when the page is wider than its viewport (WCAG 1.4.10 reflow)."""
    return bool(page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"))
