"""The tables of revision 0001_initial, one module per part of the model (frozen DDL)."""
