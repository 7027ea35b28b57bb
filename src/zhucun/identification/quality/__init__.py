"""Poverty measures from the register: multidimensional poverty (Alkire–Foster) and the
targeting quality of the register against a reference income."""
