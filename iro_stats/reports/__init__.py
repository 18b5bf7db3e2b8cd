"""Report builders: pure functions from a Selection to Tables and JSON-ready values."""
