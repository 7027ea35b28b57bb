"""Yearly snapshots of a county's register (年度动态调整) and what changed since."""
