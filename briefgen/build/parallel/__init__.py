"""Spreading work over processes: parse workers, the render pool, forked maps."""
