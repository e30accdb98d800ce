"""The build engine: turns a site's sources into its output tree.

``orchestrator`` runs the stages in the order data flows; ``parse`` is the
per-source unit of work; ``incremental`` decides what the last build already did
(state, packs, fingerprints, outline); ``parallel`` spreads parsing and rendering
over processes; ``write`` owns the output tree. See docs/architecture.md.
"""

from briefgen.build.orchestrator import Builder, BuildResult, build, load_site

__all__ = ["Builder", "BuildResult", "build", "load_site"]
