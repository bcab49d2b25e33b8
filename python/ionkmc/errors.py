# SPDX-FileCopyrightText: 2026 The ionkmc authors
# SPDX-License-Identifier: GPL-3.0-or-later
"""Exceptions carrying the library's one-line message."""


class IonkmcError(Exception):
    """A failed ionkmc call: .message is the library's text, .status the
    program's exit status (2 bad input, 1 internal, 3 cancelled)."""

    def __init__(self, message, status=1):
        super().__init__(message)
        self.message = message
        self.status = status


class BadInput(IonkmcError, ValueError):
    """Bad input (exit status 2): the message names the option, file or field."""


class InternalError(IonkmcError, RuntimeError):
    """An internal or numerical failure (exit status 1)."""


class Cancelled(IonkmcError):
    """The call was stopped by ionkmc_api_cancel from elsewhere."""
