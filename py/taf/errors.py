"""The one exception type a public function of `taf` may raise for bad input."""
from __future__ import annotations


class InputError(ValueError):
    """Invalid input: `.field` names the parameter at fault, the message says how to fix it."""

    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field = field
        self.message = message

    def to_dict(self) -> dict:
        return {"type": "input", "field": self.field, "message": self.message}
