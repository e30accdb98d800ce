"""Publishing a built site: targets registered by name, like Lektor's publishers.

A new target (S3-compatible storage, rsync…) is a :class:`Target` subclass added
to :data:`TARGETS`; ``briefgen publish <name>`` and ``publish.<name>:`` in
briefgen.yaml then work for it with no other change.
"""

from __future__ import annotations

from briefgen.publish.base import Outcome, PublishError, Setting, Target
from briefgen.publish.dir import DirTarget
from briefgen.publish.git import GitTarget
from briefgen.publish.plan import Plan

TARGETS: dict[str, type[Target]] = {
    GitTarget.name: GitTarget,
    DirTarget.name: DirTarget,
}

__all__ = ["TARGETS", "DirTarget", "GitTarget", "Outcome", "Plan", "PublishError", "Setting",
           "Target"]
