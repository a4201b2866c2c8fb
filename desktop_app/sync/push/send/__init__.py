"""Send: units put on the wire (batched push, bulk creates, or plain REST)."""
