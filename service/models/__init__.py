"""Pydantic schemas of the API: one module per kind of Thing, every field with its unit."""
