"""Tests written to kill mutants that survived `make mutation` in the exercise checks (see issue 15)."""
