"""The case workspace: one open case, its pages, and the session that keeps it saved."""
