"""Dispatching units (派出单位): the offices, firms, institutions and universities that send
cadres, their level and kind, their seat, and the counties they are paired with (对口帮扶)."""
