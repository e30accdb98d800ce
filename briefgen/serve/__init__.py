"""``briefgen serve``: build, serve, watch the sources, rebuild and reload the browser.

``watch`` classifies changed paths and coalesces bursts, ``paths`` maps URLs to
files safely, ``events`` fans rebuild news out over Server-Sent Events, ``server``
answers HTTP requests, and ``app`` wires a Builder, the watcher and the server.
"""
