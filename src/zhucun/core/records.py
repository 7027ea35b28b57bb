"""How the foundation's own records read in the audit trail: exported lists, revealed
numbers, imports and encryption keys (their tags are labelled where they are defined)."""

from __future__ import annotations

from .i18n import _l
from .present import Field, choices, kind, labelled, yes_no

# What an export records (disclosure.record_export), for every list that can be exported.
EXPORT_FIELDS = {
    "filters": Field(_l("Filters")),
    "unmasked": Field(_l("Numbers in clear"), yes_no),
    "file": Field(_l("File")),
}
# Which number was revealed (``field`` of a reveal entry), on households, members and cadres.
REVEALED = Field(
    _l("Number"), choices({"id_number": _l("ID number"), "phone": _l("Phone"), "bank_account": _l("Bank account")})
)

kind(
    "import_batch",
    _l("Import"),
    {
        **labelled(
            {
                "file": _l("File"),
                "size": _l("Size (bytes)"),
                "rows": _l("Rows"),
                "households": _l("Households"),
                "members": _l("Members"),
                "incomes": _l("Incomes"),
                "cadres": _l("Cadres"),
                "counties": _l("Counties"),
            }
        ),
        "sha256": Field("SHA-256", hidden=True),
    },
    title="file",
    page="/imports/{id}",
    permission="registry:import:read",
)
kind("keyring", _l("Encryption keys"), labelled({"version": _l("Key version"), "rows": _l("Values moved")}))
