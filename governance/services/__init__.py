"""Use cases over the database and the core: start, decide, advance, deliver, report."""
