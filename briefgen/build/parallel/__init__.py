"""Parsing and rendering in worker processes."""
