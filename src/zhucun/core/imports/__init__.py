"""Importing households and members, and cadres, from CSV or Excel files: all or nothing,
once per file, with every error located by spreadsheet row and column."""
