"""Dock panels around the slide view: terms, annotation list, properties, statistics."""
