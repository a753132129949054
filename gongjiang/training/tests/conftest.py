import pytest

from .factories import training_world


@pytest.fixture
def tw(world):
    """The registry test world plus what classes need (see factories.training_world)."""
    return training_world(world)
