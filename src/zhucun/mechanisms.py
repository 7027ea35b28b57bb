"""The mechanisms of village-based assistance, in navigation order. Each is a package with a
``manifest.py`` (see ``core/manifest.py``); adding a mechanism is adding its name here."""

MECHANISMS = (
    "core",
    "home",
    "divisions",
    "registry",
    "selection",
    "procedures",
    "identification",
    "identification.monitoring",
    "accounts",
    "audit",
    "demo",
)
