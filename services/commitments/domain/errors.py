"""Domain errors. Each names the input at fault (`field`) when there is one, so callers can say which."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused a change."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidValue(DomainError):
    """The input is well-formed but breaks a rule of its own (a range with min > max, 120%)."""


class InvalidState(DomainError):
    """The task is not in a state that allows this change (progress on a cancelled task)."""


class VersionConflict(DomainError):
    """The caller expected another version of the task: somebody changed it in between."""

    def __init__(self, expected: int, current: int) -> None:
        super().__init__(f"expected version {expected} but the task is at version {current}", "If-Match")
        self.expected = expected
        self.current = current


class TaskNotFound(DomainError):
    def __init__(self, task_id: object) -> None:
        super().__init__(f"no task with id {task_id}", "task_id")
        self.task_id = task_id


def require(condition: bool, message: str, field: str | None = None) -> None:
    if not condition:
        raise InvalidValue(message, field)


def require_text(value: str, field: str, *, max_length: int = 2000) -> str:
    text = value.strip()
    require(bool(text), f"{field} must not be empty", field)
    require(len(text) <= max_length, f"{field} is longer than {max_length} characters", field)
    return text
