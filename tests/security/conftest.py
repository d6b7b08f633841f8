import pytest

from .urls import build_world


@pytest.fixture
def world_a(org_a):
    """Organisation A's records, one of each kind an object URL can name."""
    return build_world(org_a)
