"""Findings for people and machines: tables and JSON (``render``), the Markdown or
JSON review report (``markdown``), and CI outputs (``ci_formats``: GitHub
annotations, SARIF 2.1.0, the job summary).
"""
