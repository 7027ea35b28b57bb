"""Every mechanism's tables, imported so that the metadata (and Alembic) sees them all."""

from .core import audit as _audit  # noqa: F401
from .core import ids as _ids  # noqa: F401
from .core import models as _accounts  # noqa: F401
from .core.db import Base
from .divisions import models as _divisions  # noqa: F401
from .registry import catalogues as _catalogues
from .registry import models as _registry  # noqa: F401
from .registry.duplicates import models as _duplicates  # noqa: F401
from .registry.imports import models as _imports  # noqa: F401

metadata = Base.metadata
# Steps run after every migration to head: reference data the code defines.
AFTER_UPGRADE = [_catalogues.sync]
