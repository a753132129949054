import pytest

from .factories import imported_scenario, talent_world


@pytest.fixture
def tw(world):
    return talent_world(world)


@pytest.fixture
def scenario(world):
    return imported_scenario(world)
