"""Incentive and guarantee: allowances, work funds, phone allowance, accident insurance and
health checks of the cadres posted to villages, and their monthly statements."""
