from weather.cache import ResponseCache


def test_put_then_get_returns_value():
    cache = ResponseCache(ttl_seconds=10)
    cache.put("oslo", b"rain")
    assert cache.get("oslo") == b"rain"


class TestExpiry:
    def test_expired_entry_is_dropped(self):
        cache = ResponseCache(ttl_seconds=-1)
        cache.put("oslo", b"rain")
        assert cache.get("oslo") is None
