"""A pytest plugin for `make mutation` only: the fast subset of the tests, without Brian networks.

mutmut runs, for each of several thousand mutants, the tests that call the mutated function.
A test that builds and runs a Brian network takes seconds, so per mutant only the tests that
compare the helpers with formulas and plain-numpy references run: this plugin skips a test
the moment it calls ``Network.run`` (the magic ``run()`` goes through it too). Loaded with
``-p tests.mutation_subset`` from ``[tool.mutmut]`` in pyproject.toml; ``make test`` never loads it.
"""
import pytest

REASON = "mutation subset: this test runs a Brian network (make mutation skips those)"


def _skip_brian_run(self, *args, **kwargs):
    pytest.skip(REASON)


def pytest_configure(config):
    from brian2 import Network

    Network.run = _skip_brian_run
