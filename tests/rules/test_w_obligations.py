"""W010 weak-obligation, W011 precondition-without-consequence, W012 state-not-stated."""

from __future__ import annotations

import pytest
from qapilint.rules.w_obligations import (
    precondition_without_consequence,
    state_not_stated,
    weak_obligation,
)
from wording_support import context, run, said, section, suggestion

from qapilint.lint.rule import apply_edits

RESUME = (
    'resume a paused migration.  The user should make sure migration is in "postcopy-paused"\n'
    "state before the resume request."
)


def weak(text: str, kind: str = "command", errors: str | None = None) -> list[tuple[str, str]]:
    sections = [section("member", text, name="resume")]
    if errors is not None:
        sections.append(section("errors", errors, line=30))
    ctx = context(sections, kind=kind)
    return [(said(ctx, found), suggestion(found)) for found in run(weak_obligation, ctx)]


def test_weak_obligation_is_flagged_with_must() -> None:
    assert weak(RESUME) == [("should make sure", "must make sure")]
    assert weak("the blob is expected to have a header") == [("is expected to", "must")]


def test_weak_obligation_fix_applies_and_relints_clean() -> None:
    text = "the blob is expected to have a header"
    ctx = context([section("member", text, name="resume", line=1, col=1)])
    (found,) = run(weak_obligation, ctx)
    assert found.fix is not None
    fixed = apply_edits(text, found.fix.edits)
    assert fixed == "the blob must have a header"
    assert weak(fixed) == []


def test_weak_obligation_message_asks_for_the_consequence() -> None:
    ctx = context([section("member", RESUME, name="resume")])
    (found,) = run(weak_obligation, ctx)
    assert "say what happens otherwise" in found.message
    assert "member 'resume' of 'migrate'" in found.message


@pytest.mark.parametrize(
    "text",
    [
        RESUME + "  The command fails otherwise.",
        "the client should make sure the job is paused, or the request is rejected",
        "the client must make sure the job is paused",
    ],
)
def test_weak_obligation_with_a_consequence_is_quiet(text: str) -> None:
    assert weak(text) == []


def test_weak_obligation_answered_by_errors_section_is_quiet() -> None:
    errors = '- If migration is not in state "postcopy-paused", GenericError'
    assert weak(RESUME, errors=errors) == []


def test_weak_obligation_in_an_event_is_quiet() -> None:
    assert weak(RESUME, kind="event") == []


def test_weak_obligation_in_the_body_of_a_type_is_quiet() -> None:
    advice = "It is recommended to create one file per firmware."
    ctx = context([section("plain", advice)], symbol="Firmware", kind="struct")
    assert run(weak_obligation, ctx) == []
    ctx = context([section("plain", advice)], symbol="firmware-add", kind="command")
    assert len(run(weak_obligation, ctx)) == 1


def test_weak_obligation_prediction_is_quiet() -> None:
    assert weak("Such changes, however, are expected to be rare.") == []


def pre(text: str, kind: str = "command", errors: str | None = None) -> list[tuple[str, str]]:
    sections = [section("member", text, name="resume")]
    if errors is not None:
        sections.append(section("errors", errors, line=30))
    ctx = context(sections, kind=kind)
    found = run(precondition_without_consequence, ctx)
    return [(said(ctx, item), suggestion(item) if item.fix else "") for item in found]


def test_precondition_without_consequence_suggests_the_sentence() -> None:
    ((hit, text),) = pre(RESUME)
    assert hit == 'should make sure migration is in "postcopy-paused" state before'
    # the line would pass 70 columns: the sentence goes on a line of its own
    assert text == '\n#     The command fails unless migration is in state "postcopy-paused".'


def test_precondition_suggestion_applies_after_the_sentence() -> None:
    text = 'X must be in "on" state.'  # short enough to take the sentence on its line
    ctx = context([section("member", text, name="resume", line=1, col=1)])
    (found,) = run(precondition_without_consequence, ctx)
    assert found.fix is not None
    fixed = apply_edits(text, found.fix.edits)
    assert fixed == text + '  The command fails unless X is in state "on".'
    again = context([section("member", fixed, name="resume", line=1, col=1)])
    assert run(precondition_without_consequence, again) == []
    assert run(weak_obligation, again) == []


def test_precondition_suggestion_on_a_line_of_its_own_relints_clean() -> None:
    ctx = context([section("member", RESUME, name="resume", line=1, col=1)])
    (found,) = run(precondition_without_consequence, ctx)
    assert found.fix is not None
    fixed = apply_edits(RESUME, found.fix.edits)
    assert fixed.endswith(
        'request.\n#   The command fails unless migration is in state "postcopy-paused".'
    )
    again = context([section("member", fixed, name="resume", line=1, col=1)])
    assert run(precondition_without_consequence, again) == []


@pytest.mark.parametrize(
    "text",
    [
        "This is only valid on x86 machines with KVM.",
        "This command requires that all jobs are in the PENDING state.",
        "'stop' can only be used if the device supports io-status.",
        "Requires a URI that supports seeking; only if the flag is set.",
        'The job must be in "ready" state.',
    ],
)
def test_preconditions_are_flagged(text: str) -> None:
    assert len(pre(text)) == 1


def test_consequence_before_the_requirement_does_not_count() -> None:
    text = "the action to take on an error.  'stop' can only be used if the device supports it."
    assert len(pre(text)) == 1
    assert pre(text + "  Other actions are rejected.") == []


def test_state_precondition_with_requires_that_suggests_the_sentence() -> None:
    ((_hit, text),) = pre("This command requires that all involved jobs are in the PENDING state.")
    assert text.endswith('The command fails unless all involved jobs are in state "PENDING".')


def test_state_in_capitals_is_quoted_as_its_enum_value() -> None:
    text = "This command requires that all involved jobs are in the PENDING state."
    jobs = [("enum", "JobStatus", {"data": ["running", "pending"]})]
    ctx = context([section("plain", text)], others=jobs)
    (found,) = run(precondition_without_consequence, ctx)
    assert found.fix is not None
    assert found.fix.edits[0].text.endswith('all involved jobs are in state "pending".')


def test_state_precondition_of_a_job_suggests_the_sentence() -> None:
    ((_hit, text),) = pre("This command requires that the job must be in the PENDING state.")
    assert text.endswith('The command fails unless job is in state "PENDING".')


@pytest.mark.parametrize(
    "text",
    [
        'The command will fail unless migration is in "postcopy-paused" state.',
        "This flag should only be used if the migration was interrupted.  The command "
        'will fail unless migration is in "postcopy-paused" state.',
        "Only valid on x86; ignored elsewhere.",
        "present if and only if a chardev of type 'pty' was created",
        "the stderr of the process, present only if 'capture-output' was given",
        "Must be in the private IP range (RFC 1918).",
    ],
)
def test_precondition_near_misses_are_quiet(text: str) -> None:
    assert pre(text) == []


def test_precondition_answered_by_errors_section_is_quiet() -> None:
    text = "This command requires that all jobs are in the PENDING state."
    assert pre(text, errors="- If a job is not PENDING, GenericError") == []
    assert len(pre(text, errors="- If @device does not exist, DeviceNotFound")) == 1


def test_precondition_errors_entry_may_use_another_form_of_the_word() -> None:
    text = "This is only valid on machines configured with KVM."
    assert pre(text, errors="- If the guest configuration is invalid, GenericError") == []


def test_precondition_outside_a_command_has_no_sentence_to_suggest() -> None:
    ((_hit, text),) = pre('The job must be in "ready" state.', kind="struct")
    assert text == ""


def test_precondition_takes_project_requirements_from_config() -> None:
    options = {"precondition-without-consequence": {"extra-requirements": ["is a must"]}}
    ctx = context([section("member", "A running guest is a must.", name="x")], options=options)
    assert len(run(precondition_without_consequence, ctx)) == 1


def unstated(name: str, body: str) -> list[str]:
    ctx = context([section("plain", body)], symbol=name)
    return [found.message for found in run(state_not_stated, ctx)]


def test_state_not_stated_asks_for_the_state() -> None:
    (message,) = unstated("job-resume", "Resume the job.")
    assert "'job-resume'" in message and "which state" in message


def test_state_not_stated_is_quiet_when_the_doc_names_one() -> None:
    assert unstated("job-resume", "Resume a paused job.") == []
    assert unstated("query-jobs", "Return information about jobs.") == []
