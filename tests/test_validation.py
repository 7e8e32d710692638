"""helpers.validation: bad input is refused with a message that says what to do."""
import numpy as np
import pytest
from brian2 import Hz, ms, mV, second

from helpers.validation import (
    as_rate_array,
    require_positive_duration,
    require_quantity,
    require_representable_rates,
    require_same_length,
)


def test_rate_without_unit_is_refused_with_example():
    with pytest.raises(TypeError, match=r"rates needs a unit.*200\*Hz"):
        as_rate_array([200, 250])


def test_rate_with_wrong_unit_is_refused():
    with pytest.raises(TypeError, match="wrong unit"):
        as_rate_array(5 * ms)


@pytest.mark.parametrize("bad", [-3 * Hz, 0 * Hz, np.array([200, np.nan]) * Hz])
def test_non_positive_or_nan_rate_is_refused(bad):
    with pytest.raises(ValueError, match="positive and finite"):
        as_rate_array(bad)


def test_rate_forms_are_normalised_to_1d_hz():
    assert np.array_equal(np.asarray(as_rate_array(200 * Hz)), [200.0])
    assert np.array_equal(np.asarray(as_rate_array([200 * Hz, 250 * Hz])), [200.0, 250.0])
    assert np.array_equal(np.asarray(as_rate_array([200, 250] * Hz)), [200.0, 250.0])


def test_empty_rates_are_refused():
    with pytest.raises(ValueError, match="empty"):
        as_rate_array(np.array([]) * Hz)


def test_mismatched_lengths_name_both_arguments():
    with pytest.raises(ValueError, match="pre_rates has 2, post_rates has 3"):
        require_same_length(pre_rates=[1, 2] * Hz, post_rates=[1, 2, 3] * Hz)
    assert require_same_length(a=[1, 2], b=[3, 4]) == 2


@pytest.mark.parametrize("bad", [0 * second, -1 * ms])
def test_non_positive_duration_is_refused(bad):
    with pytest.raises(ValueError, match="duration must be positive"):
        require_positive_duration(bad)


def test_duration_without_unit_is_refused():
    with pytest.raises(TypeError, match=r"duration needs a unit.*10\*ms"):
        require_positive_duration(1.0)


def test_array_duration_is_refused():
    with pytest.raises(ValueError, match="single time"):
        require_positive_duration([1, 2] * second)


def test_voltage_without_unit_gets_a_voltage_example():
    with pytest.raises(TypeError, match=r"-70\*mV"):
        require_quantity(-70, mV, "E_L")
    assert require_quantity(-70 * mV, mV, "E_L") == -70 * mV


def test_rate_the_time_step_cannot_represent_is_refused():
    rates = as_rate_array([200, 6000] * Hz)
    with pytest.raises(ValueError, match=r"6000 Hz.*5000 Hz.*smaller dt"):
        require_representable_rates(rates, 0.1 * ms)
    # the same rate is fine with a ten times smaller step
    require_representable_rates(rates, 0.01 * ms)


def test_plain_number_refuses_units_and_nan_and_says_how():
    from helpers.validation import require_plain_number

    with pytest.raises(TypeError, match=r"w0 is a plain number without a unit.*w0=0.5"):
        require_plain_number(0.5 * mV, "w0")
    with pytest.raises(TypeError, match="must be one number"):
        require_plain_number([0.1, 0.2], "dApre", example=0.02)
    with pytest.raises(ValueError, match="finite"):
        require_plain_number(float("nan"), "gmax")
    assert require_plain_number(np.float64(0.25), "phase") == 0.25
