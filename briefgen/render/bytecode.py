"""Compiled templates kept between builds, sealed: loading one runs its code.

Jinja's own file cache loads whatever code object a file in the folder holds, so a
planted file would run on the next build. Here each file carries a MAC under the
machine's cache key (see ``briefgen.cachekey``), checked before Jinja sees a byte.
"""

from __future__ import annotations

import io
import os

import jinja2
from jinja2.bccache import Bucket

from briefgen.cachekey import Seal, read_regular


class SealedBytecodeCache(jinja2.FileSystemBytecodeCache):
    """A ``FileSystemBytecodeCache`` whose files are sealed and checked."""

    def __init__(self, directory: str, seal: Seal):
        super().__init__(directory, "__briefgen_%s.sealed")
        self.seal = seal

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            blob = read_regular(self._get_cache_filename(bucket))
        except (OSError, MemoryError):
            return
        data = self.seal.open(_label(bucket), blob)
        if data is not None:   # else: a foreign or damaged file, compiled again
            bucket.load_bytecode(io.BytesIO(data))

    def dump_bytecode(self, bucket: Bucket) -> None:
        buffer = io.BytesIO()
        bucket.write_bytecode(buffer)
        name = self._get_cache_filename(bucket)
        tmp = f"{name}.{os.getpid()}.tmp"
        try:
            with open(tmp, "wb") as handle:
                handle.write(self.seal.seal(_label(bucket), buffer.getvalue()))
            os.replace(tmp, name)
        except OSError:   # a cache: not writing it only costs a compile next time
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _label(bucket: Bucket) -> bytes:
    return b"template:" + bucket.key.encode("utf-8", "surrogatepass")
