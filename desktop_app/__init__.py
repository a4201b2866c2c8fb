"""Slide annotation workstation: whole-slide viewer, annotation tools and offline-first sync."""

__version__ = "0.1.0"
