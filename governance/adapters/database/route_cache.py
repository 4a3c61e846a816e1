"""Parsed routes shared by every unit of work of one database: a route version is parsed once."""

from __future__ import annotations

import hashlib
import threading

from governance.adapters.route_files import parse_route
from governance.domain.route import Route


class RouteCache:
    """Routes by the SHA-256 of their YAML; a sign-off stores the YAML it was started with."""

    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}
        self._lock = threading.Lock()
        self.parsed = 0  # how many YAML texts were parsed (the rest came from the cache)

    def route(self, route_yaml: str, *, signoff_id: str) -> Route:
        """The route ``route_yaml`` describes, parsed the first time it is asked for."""
        key = hashlib.sha256(route_yaml.encode()).hexdigest()
        found = self._routes.get(key)
        if found is not None:
            return found
        route = parse_route(route_yaml, path=f"<route of sign-off {signoff_id}>")
        with self._lock:
            self.parsed += 1
            return self._routes.setdefault(key, route)
