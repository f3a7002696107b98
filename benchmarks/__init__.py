"""Scale and overhead measurements of the offline preview (not timed tests): `make bench`."""
