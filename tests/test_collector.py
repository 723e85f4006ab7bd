"""perseus.collector.paused: the cyclic collector is off inside the block and as it was after it."""

import gc

import pytest

from perseus import collector


@pytest.fixture
def collector_state():
    was = gc.isenabled()
    yield
    gc.enable() if was else gc.disable()


def test_the_collector_is_off_inside_and_back_on_after(collector_state):
    gc.enable()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_back_on_after_an_error(collector_state):
    gc.enable()
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("a case failed")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_state):
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()
