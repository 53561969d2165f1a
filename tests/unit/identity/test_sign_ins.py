"""A device's name and place, from what a request says about it (ADR 0019)."""

from __future__ import annotations

import pytest

from modules.identity.infrastructure.sign_ins import approximate_place, describe_device


@pytest.mark.parametrize(
    ("user_agent", "device"),
    [
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox on Linux",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
            "like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15"
            " (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
        ),
        ("okhttp/4.12.0", "Android app"),
        ("curl/8.5.0", "curl"),
        ("", ""),
        ("<script>x</script>", "scriptx/script"),
    ],
)
def test_a_device_is_named_from_its_user_agent(user_agent: str, device: str) -> None:
    assert describe_device(user_agent) == device


@pytest.mark.parametrize(
    ("address", "place"),
    [
        ("203.0.113.57", "203.0.113.0/24"),
        ("2001:db8:1234:5678::1", "2001:db8:1234::/48"),
        ("not an address", ""),
        (None, ""),
    ],
)
def test_the_place_is_the_network_never_the_address(
    address: str | None, place: str
) -> None:
    assert approximate_place(address) == place
