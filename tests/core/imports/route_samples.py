"""Sample requests for the import engine's own routes, for the route × role tests. The
engine's unsafe routes are the uploads of each kind; their samples live with the mechanism
that registers the kind (``tests/registry/route_samples.py`` for members,
``tests/selection/route_samples.py`` for cadres), so a new kind brings its own."""

from __future__ import annotations

from collections.abc import Callable

from tests.core.route_samples import Sample
from tests.factories.world import Area

BODIES: dict[tuple[str, str], Callable[[Area], Sample]] = {}
