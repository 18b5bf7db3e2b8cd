"""The names of the breakdowns `report --by/--across` offers, apart from the code that
counts them (breakdowns.py), so that the CLI can list them without loading it: --help
stays as quick as importing click."""

BY = ("reason", "category", "team", "iro", "outcome", "stage", "month", "quarter")
ACROSS = ("team", "iro", "outcome", "stage", "month", "quarter", "source")
STAFF_NAMES = ("iro",)  # dimensions whose labels are staff names: for the analyst only
