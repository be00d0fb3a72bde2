"""Unattended runs: a schedule, a check per slot, and a report written after each run."""
