"""``python -m diffsync`` is the ``diffsync`` command."""

from .cli import main

main()
