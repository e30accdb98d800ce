"""One module per command. Each has ``add_arguments(parser)`` and ``run(args) -> int``.

Command modules stay light at import time (``briefgen --help`` imports them all);
heavy dependencies are imported inside ``run``.
"""
