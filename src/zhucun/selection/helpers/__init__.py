"""Helpers (帮扶责任人): one for every registered and monitored household, within a cap."""
