"""Slides and images: sources, downloads, uploads, thumbnails, offline copies."""
