"""Methodologies as data: the documents in methodologies/, their expression language and the factor datasets."""
