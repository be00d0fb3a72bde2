"""Unattended runs: a schedule in, a check per slot and a review report after each run out.

``service`` runs the scheduler, records each run and beats while alive;
``schedule`` turns the config into a trigger; ``status`` reads the run log
for ``diffsync status``; ``logs`` sets up its log lines.  The report itself is
``report.markdown``'s, the same one ``check --format markdown`` prints.
"""
