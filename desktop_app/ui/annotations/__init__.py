"""Annotation layer, drawing-tool glue and the workbench entry point."""

from desktop_app.ui.annotations.workbench import AnnotationWorkbench, install_annotation_workbench

__all__ = ["AnnotationWorkbench", "install_annotation_workbench"]
