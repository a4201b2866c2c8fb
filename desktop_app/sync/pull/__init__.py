"""Pull: server state (metadata, annotations, SciTran hierarchy, file bytes) into the cache."""
