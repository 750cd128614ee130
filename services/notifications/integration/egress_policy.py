"""Which addresses a webhook may reach: public ones only, unless the operator's allowlist names them.

A webhook URL is typed in by a user of the Office; without this, it could point the service at
itself (loopback), at the department's internal network (private ranges), at a cloud's metadata
service (which hands out credentials) or at anything else not meant to be reached from outside. The
check is made on the IP address that is actually connected to (see `egress`), never on the name.

The table of cases is `tests/unit/notifications/test_egress_policy.py`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Metadata services of the clouds (AWS, GCP, Azure, OpenStack: 169.254.169.254; AWS IPv6; Alibaba; Oracle).
METADATA = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "fd00:ec2::254", "100.100.100.200", "192.0.0.192"))


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """The allowlist setting: CIDR blocks or single addresses (`127.0.0.1`, `10.20.0.0/16`, `::1`)."""
    return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values)


def _unwrap(address: IPAddress) -> IPAddress:
    """An IPv4 address written as IPv6 (::ffff:127.0.0.1, 64:ff9b::7f00:1 is left alone) is judged as IPv4."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def why_refused(address: IPAddress) -> str | None:
    """In Vietnamese, why a webhook may not connect to this address without the allowlist; None if it may."""
    address = _unwrap(address)
    if address in METADATA:
        return "địa chỉ dịch vụ metadata của đám mây"
    if address.is_loopback:
        return "địa chỉ loopback (chính máy chủ)"
    if address.is_link_local:
        return "địa chỉ link-local"
    if any(address in network for network in _INTERNAL):
        return "địa chỉ mạng nội bộ"
    if not address.is_global or address.is_multicast:  # this host, reserved, documentation, benchmarking…
        return "địa chỉ không dùng được trên Internet"
    return None


# The networks of organisations' own (RFC 1918, unique local IPv6, carrier-grade NAT).
_INTERNAL = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"))


@dataclass(frozen=True)
class EgressPolicy:
    allow: tuple[IPNetwork, ...] = ()

    @classmethod
    def of(cls, allow: Iterable[str]) -> EgressPolicy:
        return cls(parse_networks(allow))

    def refusal(self, address: IPAddress) -> str | None:
        """None if the webhook may connect there (a public address, or one the allowlist names)."""
        if any(address in network or _unwrap(address) in network for network in self.allow):
            return None
        return why_refused(address)
