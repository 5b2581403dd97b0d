"""Load test of ``kg serve`` from a second process on 127.0.0.1, bounded in count and time.

Sends the named questions (as the query page does, through ``/named/<name>``)
and a plain SPARQL query, round-robin, from ``--concurrency`` threads until
``--requests`` have been sent or ``--seconds`` have passed, and prints the
throughput, latency percentiles and error count. Only loopback addresses are
accepted as targets.

Usage:
    kg serve --store build/store &            # in one terminal (or process)
    python -m bench.load_serve --url http://127.0.0.1:7879 --requests 400 --concurrency 8
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

QUERIES = [
    ("sparql", {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/hmi-kg/ontology#Finding> }"}),
    ("named/recommendations", {"force": "Durham"}),
    ("named/grades", {"force": "Durham"}),
    ("named/mentions", {"entity": "Sleuth"}),
    ("named/areas-for-improvement", {"force": "Durham"}),
    ("named/source", {"statementText": "missing"}),
]


@dataclass
class LoadResult:
    """What the load run measured."""

    sent: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    first_error: str = ""

    def summary(self) -> dict[str, float | int | str]:
        """Throughput, error count and latency percentiles."""
        lat = sorted(self.latencies) or [0.0]

        def pct(p: float) -> float:
            return lat[min(len(lat) - 1, int(p * (len(lat) - 1) + 0.5))] * 1000

        return {
            "requests": self.sent,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "requests_per_second": round(self.sent / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(pct(0.50), 1),
            "p95_ms": round(pct(0.95), 1),
            "max_ms": round(lat[-1] * 1000, 1),
            "first_error": self.first_error,
        }


def _loopback(url: str) -> None:
    host = urllib.parse.urlparse(url).hostname or ""
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        raise SystemExit(f"refusing to load-test {host}: only loopback addresses are allowed")


def run_load(url: str, *, requests: int = 200, concurrency: int = 4, seconds: float = 60.0) -> LoadResult:
    """Send up to ``requests`` queries from ``concurrency`` threads, stopping after ``seconds``."""
    _loopback(url)
    result = LoadResult()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    counter = iter(range(requests))

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            path, params = QUERIES[n % len(QUERIES)]
            req = urllib.request.Request(f"{url}/{path}?{urllib.parse.urlencode(params)}")
            req.add_header("Accept", "application/sparql-results+json")
            start = time.perf_counter()
            error = ""
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    body = r.read()
                    if r.status != 200:
                        error = f"HTTP {r.status}"
                    else:
                        json.loads(body)
            except (urllib.error.URLError, OSError, ValueError) as e:
                error = f"{type(e).__name__}: {e}"
            elapsed = time.perf_counter() - start
            with lock:
                result.sent += 1
                result.latencies.append(elapsed)
                if error:
                    result.errors += 1
                    result.first_error = result.first_error or error

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - started
    return result


def main() -> None:
    """Run the load and print its figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args()
    out = run_load(args.url, requests=args.requests, concurrency=args.concurrency, seconds=args.seconds)
    print(json.dumps({"url": args.url, "concurrency": args.concurrency, **out.summary()}, indent=2))


if __name__ == "__main__":
    main()
