"""The library's own exceptions; the CLI turns each into one line and an exit status."""

from __future__ import annotations


class IroStatsError(Exception):
    """A problem the user can fix; `exit_code` 1 for data, 2 for usage."""

    exit_code = 1


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
