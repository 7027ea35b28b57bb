"""Kinship between residents (亲属关系): derived from household rolls and declared across
households; the relatives of many people at once, for conflict-of-interest checks."""
