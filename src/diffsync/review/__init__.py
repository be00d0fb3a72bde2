"""Decisions: open findings in, accepted / ignored / skipped findings out.

``walk`` is the interactive review (one finding per screen, over a terminal
or a pipe); ``decisions`` keeps them in ``LIST.diffsync.toml`` beside the
list, so they travel with it.
"""
