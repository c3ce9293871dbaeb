"""The password throttle: per client address and for all clients, exponential waits, a lock-out, logged."""

from __future__ import annotations

import logging

import pytest

from recon.ui.throttle import LoginThrottle, Policy


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _throttle(clock: Clock) -> LoginThrottle:
    return LoginThrottle(Policy(free=5, base_delay=1.0, max_delay=300.0, lockout_after=10, lockout_seconds=900.0,
                                window=3600.0),
                         Policy(free=20, base_delay=1.0, max_delay=300.0, lockout_after=10**9, window=3600.0),
                         clock=clock)


def test_five_failures_are_free_then_each_wait_doubles_then_the_client_is_locked_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    throttle = _throttle(clock)
    waits = []
    with caplog.at_level(logging.WARNING, logger="recon.dashboard.auth"):
        for _ in range(10):
            clock.now += waits[-1] if waits else 0.0  # each attempt made once the wait before it has passed
            assert throttle.wait_seconds("10.0.0.7") == 0.0
            throttle.failed("10.0.0.7")
            waits.append(throttle.wait_seconds("10.0.0.7"))
    assert waits[:9] == [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 4.0, 8.0]
    assert waits[9] == 900.0  # the tenth failure: locked out for the window
    assert caplog.messages[0] == "dashboard sign-in: wrong password from 10.0.0.7 (1 in a row, 1 for all clients)"
    assert caplog.messages[-1] == "dashboard sign-in: client 10.0.0.7 locked out for 900 s after 10 failed passwords"
    assert throttle.wait_seconds("10.0.0.8") == 0.0  # another address is not locked out
    clock.now += 899.0
    assert throttle.wait_seconds("10.0.0.7") == pytest.approx(1.0)


def _failed_in_a_row(client: str, times: int) -> tuple[Clock, LoginThrottle]:
    clock = Clock()
    throttle = _throttle(clock)
    for _ in range(times):
        throttle.failed(client)
    return clock, throttle


def test_an_attempt_inside_the_wait_is_refused_without_counting_and_success_clears_the_client() -> None:
    clock, throttle = _failed_in_a_row("a", 6)
    assert throttle.wait_seconds("a") == 1.0
    clock.now += 0.5
    assert throttle.wait_seconds("a") == 0.5
    clock.now += 0.5
    throttle.succeeded("a")
    assert throttle.wait_seconds("a") == 0.0


def test_many_addresses_guessing_in_parallel_are_slowed_down_together() -> None:
    clock = Clock()
    throttle = _throttle(clock)
    for n in range(20):
        throttle.failed(f"10.0.1.{n}")  # one failure each: no client alone is throttled
    assert throttle.wait_seconds("10.0.9.9") == 0.0
    throttle.failed("10.0.1.99")
    assert throttle.wait_seconds("10.0.9.9") == 1.0  # the 21st failure of all clients: everyone waits
    throttle.failed("10.0.1.98")
    assert throttle.wait_seconds("10.0.9.9") == 2.0


def test_failures_are_forgotten_an_hour_after_the_last() -> None:
    clock, throttle = _failed_in_a_row("a", 7)
    assert throttle.wait_seconds("a") == 2.0
    clock.now += 3601.0
    assert throttle.wait_seconds("a") == 0.0
    throttle.failed("a")
    assert throttle.wait_seconds("a") == 0.0  # counting starts again


def test_the_sign_in_form_stops_checking_after_five_wrong_passwords(
    monkeypatch: pytest.MonkeyPatch, samples_db: object
) -> None:
    from recon.ui import throttle
    from recon.ui.auth import ENV_VAR, hash_password
    from tests.dashboard.test_app_pages import SAMPLES_AS_OF, start

    clock = Clock()
    fresh = _throttle(clock)  # the process's one throttle, with a clock of its own and no failures yet
    for name in ("client_policy", "global_policy", "clock", "_clients", "_all"):
        monkeypatch.setattr(throttle.THROTTLE, name, getattr(fresh, name))
    monkeypatch.setenv(ENV_VAR, hash_password("Bilanz2026", n=2**10))
    at = start(monkeypatch, samples_db, SAMPLES_AS_OF, "upload")  # type: ignore[arg-type]

    def sign_in(password: str) -> list[str]:
        at.sidebar.text_input(key="password").input(password)
        at.sidebar.button[0].click().run()
        return [e.value for e in at.sidebar.error]

    for _ in range(5):
        assert sign_in("wrong") == ["Falsches Passwort."]
    assert sign_in("wrong") == ["Falsches Passwort."]  # the sixth is checked, and from now on each waits
    assert sign_in("Bilanz2026") == ["Zu viele falsche Passwörter: das nächste wird erst in 1 s geprüft."]
    assert not at.file_uploader  # even the right password was not checked
    clock.now += 1.0
    assert sign_in("Bilanz2026") == []
    assert at.sidebar.success[0].value == "Als Buchhaltung angemeldet"
