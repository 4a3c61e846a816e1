"""Route files at the edge: YAML in, the domain's frozen ``Route`` out, problems with lines."""

from governance.adapters.route_files.describe import describe_route, route_to_json
from governance.adapters.route_files.parse import (
    UnknownRoute,
    find_route,
    load_route,
    load_route_with_text,
    parse_route,
    routes_in,
)
from governance.adapters.route_files.yaml_nodes import Problem, RouteFileError

__all__ = [
    "Problem",
    "RouteFileError",
    "UnknownRoute",
    "describe_route",
    "find_route",
    "load_route",
    "load_route_with_text",
    "parse_route",
    "route_to_json",
    "routes_in",
]
