"""Ack: the server's answers stored; the only place ops leave the outbox."""
