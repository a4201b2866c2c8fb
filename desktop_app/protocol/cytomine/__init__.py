"""Wire models of the Cytomine API's request bodies, one module per domain.

``fields`` holds the lenient field types (ids as numbers or numeric strings, flags as
strings...), ``base`` the model every body derives from.  The server validates each body
through its model before a route reads it (``server/wire.py`` ``parse_body``).
"""
