"""Projects as a user handles them: upload a local-only one, administer one on the server."""
