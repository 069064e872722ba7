"""Path converters shared by every app's URLs."""

from django.urls import register_converter

# A database id is a signed 64-bit integer: 18 digits always fit, so a longer number in a
# path is no page at all (404) instead of an overflow in the database driver.
MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


def register() -> None:
    register_converter(IdConverter, "id")
