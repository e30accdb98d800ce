"""The publish target interface and its settings (command line over ``publish:`` config).

A target is a class with a ``name``, its own command-line options, a ``plan`` of
what it would change and a ``publish`` that does it. Targets are registered by
name in :data:`briefgen.publish.TARGETS`, so an S3 or rsync target plugs in the
same way.
"""

from __future__ import annotations

import argparse
import difflib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from briefgen.config import SiteConfig
from briefgen.errors import BriefgenError
from briefgen.publish.plan import Plan


class PublishError(BriefgenError):
    """Publishing was refused or failed; the message says what was left as it was."""


@dataclass(frozen=True)
class Setting:
    """One option a target reads from the command line or ``publish.<target>.<key>``."""

    key: str
    type: type
    default: Any = None
    help: str = ""
    option: bool = True  # False when the target declares its own argument for it


@dataclass
class Outcome:
    """What a publish did, for the closing line."""

    plan: Plan
    message: str


class Target(ABC):
    """A place a built site is published to."""

    name: ClassVar[str]
    help: ClassVar[str]
    settings: ClassVar[tuple[Setting, ...]] = ()

    def __init__(self, config: SiteConfig, options: dict[str, Any]):
        self.config = config
        self.options = options

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        """Target-specific options beyond those declared in ``settings``."""

    @abstractmethod
    def plan(self, site: Path) -> Plan:
        """What publishing ``site`` would add, change and delete; changes nothing."""

    @abstractmethod
    def publish(self, site: Path) -> Outcome:
        """Publish the built ``site``; on any error leave the target as it was."""

    def rollback(self) -> str:
        """Bring the previously published version back, where the target keeps one."""
        raise PublishError(f"the '{self.name}' target cannot roll back")


def _type_ok(value: Any, expected: type) -> bool:
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, expected)


def resolve_settings(target: type[Target], publish_config: dict[str, Any],
                     cli: dict[str, Any]) -> dict[str, Any]:
    """Merge command-line values over ``publish.<name>`` over defaults; refuse unknown keys.

    ``publish.cname`` at the top level applies to every target that has a ``cname``.
    """
    section = publish_config.get(target.name) or {}
    if not isinstance(section, dict):
        raise PublishError(f"briefgen.yaml: 'publish.{target.name}' must be a mapping")
    known = {s.key: s for s in target.settings}
    problems = []
    for key in section:
        if key not in known:
            near = difflib.get_close_matches(str(key), list(known), n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            problems.append(f"unknown key 'publish.{target.name}.{key}'{hint}")
    values: dict[str, Any] = {}
    for setting in target.settings:
        value = cli.get(setting.key)
        origin = "command line"
        if value is None:
            value = section.get(setting.key, publish_config.get(setting.key)
                                if setting.key == "cname" else None)
            origin = f"publish.{target.name}.{setting.key}"
        if value is None:
            value = setting.default
        elif not _type_ok(value, setting.type):
            problems.append(f"'{origin}' must be a {setting.type.__name__}, "
                            f"not {type(value).__name__}")
        values[setting.key] = value
    if problems:
        raise PublishError("; ".join(problems))
    return values


def check_publish_config(publish_config: dict[str, Any], names: list[str]) -> None:
    """Top-level ``publish:`` keys are target names and ``cname``."""
    allowed = [*names, "cname"]
    for key in publish_config:
        if key not in allowed:
            near = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise PublishError(f"briefgen.yaml: unknown key 'publish.{key}'{hint}; "
                               f"known: {', '.join(allowed)}")
