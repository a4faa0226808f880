"""Testimony Archive: witness testimonies and report excerpts, kept as plain files and searched."""

__version__ = "0.1.0"
