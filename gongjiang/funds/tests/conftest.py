import pytest

from .factories import funds_world


@pytest.fixture
def fw(world):
    """The registry test world plus 兰州新区's funds configuration and a budget (factories.funds_world)."""
    return funds_world(world)
