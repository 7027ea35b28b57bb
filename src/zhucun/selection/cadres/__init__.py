"""Cadres of dispatching units and their postings to villages (第一书记, 工作队长, 工作队员)."""
