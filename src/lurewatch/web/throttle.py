"""Login throttles with bounded memory (no web framework imports).

A spray of failed logins with ever-new e-mails (or from ever-new addresses) must cost a
fixed amount of memory and must not make the throttle forget the keys it is blocking:
each limiter keeps at most `max_keys` keys in least-recently-failed order and evicts the
oldest *one* when full, and at most `limit` timestamps per key. Password hashing (argon2id,
64 MiB and several cores per verification by default) runs through a small gate so that
concurrent logins cannot multiply that memory by the size of the server's thread pool.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class WindowLimiter:
    """At most `limit` failures per key within `window` seconds, for at most `max_keys` keys.

    Memory is O(max_keys × limit). When full, the key whose last failure is oldest is evicted
    (one key, never the whole table), so a key under attack, which keeps failing, stays.
    """

    def __init__(
        self,
        limit: int,
        window: float,
        max_keys: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1 or window <= 0 or max_keys < 1:
            raise ValueError("limit, window and max_keys must be positive")
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._failures)

    def _recent(self, key: str, now: float) -> deque[float] | None:
        times = self._failures.get(key)
        if times is None:
            return None
        while times and now - times[0] >= self.window:
            times.popleft()
        if not times:
            del self._failures[key]
            return None
        return times

    def blocked(self, key: str) -> bool:
        with self._lock:
            times = self._recent(key, self._clock())
            return times is not None and len(times) >= self.limit

    def retry_after(self, key: str) -> int:
        """Seconds until the oldest counted failure leaves the window (0 when not blocked)."""
        with self._lock:
            now = self._clock()
            times = self._recent(key, now)
            if times is None or len(times) < self.limit:
                return 0
            return max(1, int(self.window - (now - times[0])) + 1)

    def failed(self, key: str) -> None:
        with self._lock:
            now = self._clock()
            times = self._recent(key, now)
            if times is None:
                times = deque(maxlen=self.limit)
                self._failures[key] = times
                while len(self._failures) > self.max_keys:
                    self._failures.popitem(last=False)
            else:
                self._failures.move_to_end(key)
            times.append(now)

    def take(self, key: str) -> bool:
        """Atomically: False when blocked, else counts one attempt now and returns True.

        Counting before the password is checked means concurrent attempts cannot all pass
        the check before any of them is counted; a success gives the attempt back (`undo`).
        """
        with self._lock:
            now = self._clock()
            times = self._recent(key, now)
            if times is not None and len(times) >= self.limit:
                return False
            if times is None:
                times = deque(maxlen=self.limit)
                self._failures[key] = times
                while len(self._failures) > self.max_keys:
                    self._failures.popitem(last=False)
            else:
                self._failures.move_to_end(key)
            times.append(now)
            return True

    def undo(self, key: str) -> None:
        """Gives back the most recent attempt (it succeeded)."""
        with self._lock:
            times = self._failures.get(key)
            if times:
                times.pop()
                if not times:
                    del self._failures[key]

    def forget(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


class LoginThrottle:
    """Per-account and per-client-address limits on failed logins, in memory, per process.

    - account: 10 failures for one e-mail in 15 minutes block that e-mail;
    - address: 30 failures from one client IP in 15 minutes block that IP (an address that
      sprays new e-mails is stopped before any password is hashed).
    Every attempt is counted when it starts (`begin`, atomic), so concurrent guesses cannot
    slip past the limit together; a success clears the account's counter and gives the
    address its attempt back.
    """

    def __init__(
        self,
        limit: int = 10,
        window: float = 900.0,
        *,
        ip_limit: int = 30,
        max_keys: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.window = window
        self.accounts = WindowLimiter(limit, window, max_keys, clock)
        self.addresses = WindowLimiter(ip_limit, window, max_keys, clock)

    @staticmethod
    def _account(email: str) -> str:
        return email.strip().lower()[:320]

    def blocked(self, email: str, ip: str | None = None) -> str | None:
        """Why the attempt is refused ("address" or "account"), or None when it may go on."""
        if ip and self.addresses.blocked(ip):
            return "address"
        if self.accounts.blocked(self._account(email)):
            return "account"
        return None

    def begin(self, email: str, ip: str | None = None) -> str | None:
        """Counts one attempt; returns why it is refused ("address", "account") or None."""
        if ip and not self.addresses.take(ip):
            return "address"
        if not self.accounts.take(self._account(email)):
            if ip:
                self.addresses.undo(ip)  # refused before any work: not counted twice
            return "account"
        return None

    def failed(self, email: str, ip: str | None = None) -> None:
        """Counts a failure after the fact (for callers that did not `begin`)."""
        self.accounts.failed(self._account(email))
        if ip:
            self.addresses.failed(ip)

    def succeeded(self, email: str, ip: str | None = None) -> None:
        self.accounts.forget(self._account(email))
        if ip:
            self.addresses.undo(ip)


class HashGate:
    """At most `slots` password hashes at once; a caller waits at most `timeout` seconds
    (then the login answers 503: the server is saturated, try again).

    argon2id's default costs 64 MiB per verification: without this, 40 concurrent logins
    (the server's thread pool) hold 2.5 GiB and share the cores, so every login is slow.
    """

    def __init__(self, slots: int | None = None, timeout: float = 30.0) -> None:
        self.slots = slots or max(1, min(4, os.cpu_count() or 1))
        self.timeout = timeout
        self._semaphore = threading.BoundedSemaphore(self.slots)

    @contextmanager
    def slot(self) -> Iterator[bool]:
        """Yields True with a slot held, or False when none freed up in time (answer 503)."""
        acquired = self._semaphore.acquire(timeout=self.timeout)
        try:
            yield acquired
        finally:
            if acquired:
                self._semaphore.release()
