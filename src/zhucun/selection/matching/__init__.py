"""Villages first, then people: marked villages, nominations, eligibility, avoidance and the
optimal matching of cadres to posts (先定村、再定人)."""
