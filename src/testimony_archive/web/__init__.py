"""The web front end: FastAPI routes over the library."""
