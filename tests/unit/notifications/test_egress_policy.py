"""The one table of which addresses a webhook may reach (notifications.integration.egress_policy)."""

from __future__ import annotations

import ipaddress

import pytest

from notifications.integration.egress_policy import EgressPolicy, why_refused

LOOPBACK, PRIVATE, LINK_LOCAL = "địa chỉ loopback (chính máy chủ)", "địa chỉ mạng nội bộ", "địa chỉ link-local"
METADATA, UNUSABLE = "địa chỉ dịch vụ metadata của đám mây", "địa chỉ không dùng được trên Internet"

GOLDEN = [
    ("203.113.131.1", None),  # a public address (VNPT)
    ("8.8.8.8", None),
    ("2001:4860:4860::8888", None),
    ("127.0.0.1", LOOPBACK),
    ("127.8.9.10", LOOPBACK),
    ("::1", LOOPBACK),
    ("::ffff:127.0.0.1", LOOPBACK),  # IPv4 written as IPv6 is judged as IPv4
    ("10.0.0.5", PRIVATE),
    ("172.16.3.4", PRIVATE),
    ("192.168.1.1", PRIVATE),
    ("::ffff:192.168.1.1", PRIVATE),
    ("fd12:3456::1", PRIVATE),
    ("100.64.0.1", PRIVATE),  # carrier-grade NAT
    ("169.254.10.20", LINK_LOCAL),
    ("fe80::1", LINK_LOCAL),
    ("169.254.169.254", METADATA),
    ("fd00:ec2::254", METADATA),
    ("100.100.100.200", METADATA),
    ("192.0.0.192", METADATA),
    ("0.0.0.0", UNUSABLE),  # "this host"
    ("::", UNUSABLE),
    ("224.0.0.1", UNUSABLE),
    ("240.0.0.1", UNUSABLE),  # reserved
    ("255.255.255.255", UNUSABLE),
    ("198.18.0.1", UNUSABLE),  # benchmarking
    ("192.0.2.1", UNUSABLE),  # documentation
    ("ff02::1", UNUSABLE),
]


@pytest.mark.parametrize(("address", "reason"), GOLDEN)
def test_which_addresses_a_webhook_may_reach(address: str, reason: str | None) -> None:
    assert why_refused(ipaddress.ip_address(address)) == reason


def test_the_operator_allowlist_names_exactly_what_it_allows() -> None:
    policy = EgressPolicy.of(["127.0.0.1", "10.20.0.0/16", "fd00:ec2::254/128"])
    allowed = ["127.0.0.1", "::ffff:127.0.0.1", "10.20.255.1", "fd00:ec2::254", "8.8.8.8"]
    refused = ["127.0.0.2", "::1", "10.21.0.1", "169.254.169.254"]
    assert [policy.refusal(ipaddress.ip_address(a)) for a in allowed] == [None] * len(allowed)
    assert all(policy.refusal(ipaddress.ip_address(a)) for a in refused)


def test_a_bad_allowlist_entry_stops_the_service_at_start() -> None:
    from notifications.config import NotificationsSettings

    with pytest.raises(ValueError, match="CAMKET_NOTIFICATIONS_WEBHOOK_ALLOW_NETWORKS"):
        NotificationsSettings(webhook_allow_networks=("10.0.0.0/33",))
