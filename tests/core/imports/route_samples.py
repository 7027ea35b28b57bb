"""Sample requests for the shared import engine's routes, for the route × role tests."""

from __future__ import annotations

from collections.abc import Callable

from tests.core.route_samples import Sample
from tests.factories import imports as import_files
from tests.factories.world import Area

BODIES: dict[tuple[str, str], Callable[[Area], Sample]] = {
    ("POST", "/api/v1/imports/members"): lambda a: Sample(files=import_files.members_upload(a)),
    ("POST", "/imports/members"): lambda a: Sample(files=import_files.members_upload(a)),
    ("POST", "/api/v1/imports/cadres"): lambda a: Sample(files=import_files.cadres_upload(a)),
    ("POST", "/imports/cadres"): lambda a: Sample(files=import_files.cadres_upload(a)),
}
