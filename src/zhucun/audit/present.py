"""How exports of the audit trail itself read in the trail."""

from __future__ import annotations

from ..core.i18n import _l
from ..core.present import kind
from ..core.records import EXPORT_FIELDS

kind("audit_entries", _l("Audit trail"), EXPORT_FIELDS)
