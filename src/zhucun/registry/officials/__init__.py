"""Village officials (村两委): residents holding a village post for a term."""
