"""The HTTP client of the webhooks: it connects only to addresses the egress policy allows.

The check sits where the socket is opened (httpcore's network backend), not on the URL: the host
name is resolved once, every address it resolves to is checked (one refused address refuses the
name), and the connection goes to a checked address itself. A name whose DNS answer changes between
a check and the connection (DNS rebinding) therefore gains nothing: there is no second lookup. TLS
still verifies the certificate against the URL's host name (SNI), and the Host header is the URL's.
Proxies from the environment are ignored (a proxy would connect on our behalf, unchecked), and
redirects are not followed (a redirect is a new URL the Office never saw).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import httpcore
import httpx

from notifications.integration.egress_policy import EgressPolicy, IPAddress

Resolve = Callable[[str, int], Awaitable[list[IPAddress]]]


class AddressRefused(Exception):
    """The webhook's host is, or resolves to, an address the policy refuses."""

    def __init__(self, host: str, address: IPAddress, reason: str) -> None:
        super().__init__(f"{host} → {address}: {reason}")
        self.host, self.address, self.reason = host, address, reason


async def system_resolve(host: str, port: int) -> list[IPAddress]:
    """The addresses the system's resolver gives for the name (an address literal gives itself)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[IPAddress] = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])  # drop an IPv6 zone
        if address not in found:
            found.append(address)
    return found


class GuardedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, policy: EgressPolicy, resolve: Resolve = system_resolve) -> None:
        self.policy, self.resolve = policy, resolve
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        try:  # the lookup counts against the connect timeout too
            async with asyncio.timeout(timeout):
                addresses = await self.resolve(host, port)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"{host}: no DNS answer in time") from None
        except OSError as unresolved:
            raise httpcore.ConnectError(f"{host} does not resolve ({unresolved})") from None
        if not addresses:
            raise httpcore.ConnectError(f"{host} does not resolve")
        for address in addresses:
            reason = self.policy.refusal(address)
            if reason is not None:
                raise AddressRefused(host, address, reason)
        error: Exception | None = None
        for address in addresses:  # each checked above; the first that answers is used
            try:
                return await self.inner.connect_tcp(str(address), port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as failed:
                error = failed
        assert error is not None
        raise error

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("webhooks are delivered over TCP only")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over a connection pool whose every socket goes through `GuardedBackend`."""

    def __init__(self, policy: EgressPolicy, resolve: Resolve = system_resolve,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        super().__init__(trust_env=False)
        # httpx 0.2x has no public way to give the pool a network backend; the pool is all it holds.
        self._pool = httpcore.AsyncConnectionPool(ssl_context=ssl_context or ssl.create_default_context(),
                                                  network_backend=GuardedBackend(policy, resolve))


def webhook_client(policy: EgressPolicy, timeout: float, resolve: Resolve = system_resolve) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=GuardedTransport(policy, resolve), timeout=timeout, follow_redirects=False,
                             trust_env=False)
