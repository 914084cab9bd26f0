"""The forecast service: fetches forecasts from the upstream provider."""

from weather.cache import ResponseCache


def fetch_upstream(city: str) -> bytes:
    raise NotImplementedError("network access is not part of the example")


class ForecastService:
    def __init__(self) -> None:
        self.cache = ResponseCache()

    def forecast(self, city: str) -> bytes:
        cached = self.cache.get(city)
        if cached is not None:
            return cached
        body = fetch_upstream(city)
        self.cache.put(city, body)
        return body
