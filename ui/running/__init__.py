"""A patient's running log: the table of runs, quick entry, editing and importing from a watch's CSV."""
