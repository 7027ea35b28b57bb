"""Terms, rotation and recall of postings: term ends and warnings, handover checklists,
rotation into the next term's matching, recall and replacement, and the commendation,
promotion-priority and recall lists."""
