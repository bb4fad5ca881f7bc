"""Domain errors: every refusal the domain can give carries a stable code."""


class DomainError(Exception):
    """A refused intent: `code` is stable and documented, `message` is for people."""

    def __init__(self, code: str, message: str, **details):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    def __repr__(self):
        return f"DomainError({self.code!r}, {self.message!r})"
