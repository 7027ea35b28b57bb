"""Every mechanism's tables, imported from the manifests so that the metadata (and Alembic)
sees them all."""

from .core.db import Base
from .core.mechanism import after_upgrade, load_models

load_models()
metadata = Base.metadata
# Steps run after every migration to head: reference data the code defines.
AFTER_UPGRADE = after_upgrade()
