"""Prints how many cases schemathesis ran per operation at the end of the session."""


def pytest_terminal_summary(terminalreporter):
    from .test_schemathesis import CASES

    if CASES:
        counts = ", ".join(f"{operation} {count}" for operation, count in sorted(CASES.items()))
        terminalreporter.write_line(f"schemathesis cases: {counts} (total {sum(CASES.values())})")
