"""Parsed routes shared by the whole process: a route version is parsed once, whichever database,
unit of work or repository asks for it.

A sign-off refers to its route version by the SHA-256 of the route's text (``route_versions``); the
text is read from the database only when the cache does not hold that version already.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from governance.adapters.route_files import parse_route
from governance.domain.route import Route

LIMIT = 512  # route versions kept; a product has a few dozen routes, each with a few versions


class RouteCache:
    """Routes by the SHA-256 of their text, the least recently used dropped past ``limit``."""

    def __init__(self, limit: int = LIMIT) -> None:
        self._routes: OrderedDict[str, Route] = OrderedDict()
        self._lock = threading.Lock()
        self._limit = limit
        self.parsed = 0  # how many route texts were parsed (the rest came from the cache)

    def route(self, sha256: str, *, text: Callable[[], str], signoff_id: str) -> Route:
        """The route version ``sha256``; ``text`` is called for its YAML only when it is not cached."""
        with self._lock:
            found = self._routes.get(sha256)
            if found is not None:
                self._routes.move_to_end(sha256)
                return found
        route = parse_route(text(), path=f"<route of sign-off {signoff_id}>")
        with self._lock:
            self.parsed += 1
            self._routes[sha256] = route
            while len(self._routes) > self._limit:
                self._routes.popitem(last=False)
            return route


SHARED = RouteCache()  # the process's one cache: every Database hands it to its units of work
