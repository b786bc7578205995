"""Length-prefixed pickles: the item worker's wire format on a pipe (both ends are this package's code)."""

from __future__ import annotations

import pickle
import struct
from typing import Any

_LENGTH = struct.Struct(">I")


def encode(message: Any) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(data)) + data


class FrameReader:
    """Collects bytes as they arrive; `feed` returns the messages completed so far, in order."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[Any]:
        self._buffer += data
        messages = []
        start = 0
        while len(self._buffer) - start >= _LENGTH.size:
            (length,) = _LENGTH.unpack_from(self._buffer, start)
            end = start + _LENGTH.size + length
            if end > len(self._buffer):
                break
            messages.append(pickle.loads(memoryview(self._buffer)[start + _LENGTH.size:end]))
            start = end
        if start:
            del self._buffer[:start]
        return messages

    @property
    def pending(self) -> int:
        """Bytes of a message not complete yet."""
        return len(self._buffer)
