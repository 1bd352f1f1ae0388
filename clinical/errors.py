"""The base of every error whose message is safe and useful to show a person."""


class ParleyError(Exception):
    """An expected failure with a one-line message that says what is wrong and what to do.

    Messages never carry client data (names, answers); they name files, ids and JSON paths.
    The CLI prints the message alone and exits non-zero; the app shows it in a dialog.
    """

    exit_code = 1


class ContentError(ParleyError):
    """The clinical content files are broken: the message names the file, the key and the problem.

    Example: ``indicators.toml: rules[3].condition: unknown fact id 'trauma.sexual_abuse'``.
    """


class IntakeFormatError(ParleyError):
    """An intake in the interchange format is malformed: the message names the JSON path.

    Example: ``partners[0].instruments.phq9: expected 9 items``. The message never quotes an
    input value, since values may be client data; it gives paths and expected types only.
    """


class UnknownTemplateError(ParleyError):
    """A pacing-plan template id that the content does not define."""
