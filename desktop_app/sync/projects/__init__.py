"""Projects: local-only projects published to a server, and project administration."""
