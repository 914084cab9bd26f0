"""An in-memory response cache for the forecast service."""

import time
from dataclasses import dataclass, field


@dataclass
class CacheEntry:
    value: bytes
    stored_at: float = field(default_factory=time.time)


class ResponseCache:
    """Keeps forecast responses for a fixed time to live."""

    def __init__(self, ttl_seconds: float = 60.0) -> None:
        self.ttl_seconds = ttl_seconds
        self._entries: dict[str, CacheEntry] = {}

    def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if time.time() - entry.stored_at > self.ttl_seconds:
            del self._entries[key]
            return None
        return entry.value

    def put(self, key: str, value: bytes) -> None:
        self._entries[key] = CacheEntry(value)
