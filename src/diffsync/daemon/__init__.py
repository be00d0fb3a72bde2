"""Unattended runs: a schedule in, a check per slot and a review report after each run out.

``service`` runs the scheduler and records each run, ``schedule`` turns the
config into a trigger, ``report`` writes the Markdown or JSON report.
"""
