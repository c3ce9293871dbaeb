"""Throttling the accountant password: per client address and for the whole dashboard, with an injected clock.

scrypt makes one guess cost tens of milliseconds, but parallel sessions could still guess freely. So every
failure is counted per client address and globally: after `free` failures each further attempt must wait
twice as long as the one before (capped), and a client with `lockout_after` failures is locked out for
`lockout_seconds`. A wait is enforced by *not checking* the password until it has passed (a sleeping
session would only tie up a thread), and every failure and lock-out is logged. Failures are forgotten
`window` seconds after the last one; a successful sign-in clears its client's count.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

LOG = logging.getLogger("recon.dashboard.auth")


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0
    locked_until: float = 0.0


@dataclass(frozen=True)
class Policy:
    free: int = 5  # failures before any wait
    base_delay: float = 1.0  # the first wait, doubled with each failure after it
    max_delay: float = 300.0
    lockout_after: int = 10  # failures of one client that lock it out
    lockout_seconds: float = 900.0
    window: float = 3600.0  # failures older than this (since the last one) are forgotten

    def delay(self, failures: int) -> float:
        over = failures - self.free
        return 0.0 if over <= 0 else min(self.base_delay * 2 ** (over - 1), self.max_delay)


PER_CLIENT = Policy()
GLOBAL = Policy(free=20, lockout_after=10**9)  # never a global lock-out: an attacker must not lock out everyone


@dataclass
class LoginThrottle:
    client_policy: Policy = PER_CLIENT
    global_policy: Policy = GLOBAL
    clock: Callable[[], float] = time.monotonic
    _clients: dict[str, _Failures] = field(default_factory=dict)
    _all: _Failures = field(default_factory=_Failures)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_seconds(self, client: str) -> float:
        """How long `client` must wait before its next password is checked (0: check it now)."""
        now = self.clock()
        with self._lock:
            mine = self._current(self._clients.get(client), self.client_policy, now)
            everyone = self._current(self._all, self.global_policy, now)
            waits = [0.0]
            if mine is not None:
                waits += [mine.locked_until - now, mine.last + self.client_policy.delay(mine.count) - now]
            if everyone is not None:
                waits.append(everyone.last + self.global_policy.delay(everyone.count) - now)
            return max(waits)

    def failed(self, client: str) -> None:
        now = self.clock()
        with self._lock:
            mine = self._current(self._clients.get(client), self.client_policy, now) or _Failures()
            self._clients[client] = mine
            for record, policy in ((mine, self.client_policy), (self._all, self.global_policy)):
                if self._current(record, policy, now) is None:
                    record.count, record.locked_until = 0, 0.0
                record.count += 1
                record.last = now
            if mine.count >= self.client_policy.lockout_after and mine.locked_until <= now:
                mine.locked_until = now + self.client_policy.lockout_seconds
                LOG.warning("dashboard sign-in: client %s locked out for %.0f s after %d failed passwords",
                            client, self.client_policy.lockout_seconds, mine.count)
            else:
                LOG.warning("dashboard sign-in: wrong password from %s (%d in a row, %d for all clients)",
                            client, mine.count, self._all.count)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._clients.pop(client, None)

    @staticmethod
    def _current(record: _Failures | None, policy: Policy, now: float) -> _Failures | None:
        """The record while it still counts (locked, or its last failure within the window)."""
        if record is None or record.count == 0:
            return None
        if record.locked_until > now or now - record.last <= policy.window:
            return record
        return None


THROTTLE = LoginThrottle()  # one per dashboard process: all sessions share it
