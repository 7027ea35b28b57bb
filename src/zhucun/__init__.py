"""zhucun (驻村): an information system for village-based assistance."""

__version__ = "0.1.0"
