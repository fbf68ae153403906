"""Source templates of the exported network files (see models_core/export.py)."""
