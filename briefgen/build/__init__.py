"""The build engine: read the sources, parse, index, render and write the site.

The orchestrator owns the Builder; parsing, writing, the incremental state and the
worker processes live in the modules beside it.
"""

from briefgen.build.orchestrator import BuildResult, Builder, build, load_site

__all__ = ["BuildResult", "Builder", "build", "load_site"]
