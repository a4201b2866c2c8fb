"""Wire models of the SciTran API's request bodies (scitran/core's input schemas).

``fields`` holds the field types (text, string lists, strict flags, objects, https
URLs), each refusing with SciTran's message; the server reads a body through its model
(``server/wire.py`` ``parse_body``) and answers a 400 naming the first field that does
not fit.  Which fields a write may carry at all stays ``server/scitran_fields.py``
(SciTran's ``additionalProperties: false``), checked before the model.
"""
