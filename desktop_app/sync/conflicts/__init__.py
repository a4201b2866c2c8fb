"""Conflicts: records of what push or pull could not merge, and their resolution."""
