"""The benchmark: our search beside Datasette at archive scale (`make bench`)."""
