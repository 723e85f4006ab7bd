"""Generators: everything under generated/ and src/perseus/models.py comes from here."""
