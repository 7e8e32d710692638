"""Shared test set-up (tests and the helpers' doctests): Brian runs with the numpy target and without INFO logging,
exactly as the chapters do, so tests and notebooks see the same numbers."""
import pytest
from brian2 import BrianLogger, prefs


@pytest.fixture(autouse=True, scope="session")
def brian_numpy_target():
    prefs.codegen.target = "numpy"
    BrianLogger.log_level_warn()
    yield
