"""desktop_app.core.tools."""
