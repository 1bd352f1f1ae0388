"""The base of every error whose message is safe and useful to show a person."""


class ParleyError(Exception):
    """An expected failure with a one-line message that says what is wrong and what to do.

    Messages never carry client data (names, answers); they name files, ids and JSON paths.
    The CLI prints the message alone and exits non-zero; the app shows it in a dialog.
    """

    exit_code = 1
