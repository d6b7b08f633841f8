from tests.security.conftest import world_a  # noqa: F401 - the security net's world
