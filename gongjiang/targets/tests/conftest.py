import pytest

from .factories import targets_world


@pytest.fixture
def tw(world):
    """The registry and training test worlds plus the 电商/康养 occupations (see factories)."""
    return targets_world(world)
