"""The library's own exceptions; the CLI turns each into one line and an exit status."""

from __future__ import annotations


class IroStatsError(Exception):
    """A problem the user can fix; `exit_code` 1 for data, 2 for usage.

    When the fix is to give a setting (a profile, a file's source...), the message says so
    in words and `option` names the setting, as the library's parameter is named
    ("profile", "source"): the command line adds how to give it there (`--profile`), so
    the library never spells an option of a program that calls it."""

    exit_code = 1

    def __init__(self, message: str = "", option: str | None = None):
        self.option = option
        super().__init__(message)


class DataError(IroStatsError):
    """An input file cannot be used as it is (empty, corrupt, no header...)."""

    exit_code = 1


class UsageError(IroStatsError):
    """An option or its value is wrong (a month like 2018-13, a bad profile...)."""

    exit_code = 2


class MappingError(IroStatsError):
    """The crosswalk files have problems; `problems` holds one line each."""

    exit_code = 1

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class AsAtTooEarly(UsageError):
    """A date to measure escalations as at comes before some of them were raised."""

    def __init__(self, as_at, late: int, last):
        self.as_at, self.late, self.last = as_at, late, last  # dates; how many; the last
        super().__init__(f"as at {as_at:%d/%m/%Y} is before {late} of the period's "
                         f"escalations were raised (the last on {last:%d/%m/%Y})")
