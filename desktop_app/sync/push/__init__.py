"""Push: the outbox delivered to the server in rounds of plan -> send -> ack."""
