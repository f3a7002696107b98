"""The program's reads run under the same Pulumi mocks as the components' tests."""

from tests.components.conftest import recorder

__all__ = ["recorder"]
