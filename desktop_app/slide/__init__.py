"""desktop_app.slide."""
