"""desktop_app.ui."""
