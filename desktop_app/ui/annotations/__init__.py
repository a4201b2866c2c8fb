"""Annotation layer, drawing tools and their glue; the panels around them are assembled
by ``ui.workbench``, which stands above both this package and ``ui.panels``."""
