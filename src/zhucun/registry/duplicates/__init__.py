"""Duplicate registrations (一人多户 / 重复登记): one ID number on the roll more than once,
within a county or across counties, found in one pass and resolved one by one."""
