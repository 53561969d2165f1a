"""Domain errors carry what each door needs to show a refusal on its field."""

from __future__ import annotations

from modules.shared.domain.errors import FieldProblem, ValidationError


def test_a_field_refusal_names_the_field_and_the_problem() -> None:
    error = ValidationError.for_field("amount", "Too large.", code="too_large")

    assert error.message == "Too large."
    assert error.code == "VALIDATION_ERROR"
    assert error.details == (
        FieldProblem(field="amount", code="too_large", message="Too large."),
    )


def test_the_problem_is_invalid_unless_named() -> None:
    (problem,) = ValidationError.for_field("name", "Give it a name.").details

    assert problem.code == "invalid"
