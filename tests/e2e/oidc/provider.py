"""The test identity provider (provider.mjs, on the npm package oidc-provider) as a process: installed
with npm on first use (into this folder's git-ignored node_modules, as `make oidc-provider` does),
started on a free port, and signed in to as a browser would through its login form."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import httpx

from tests.e2e.support import free_port

HERE = Path(__file__).parent
USERS = {"office": "lan.office", "unit_staff": "minh.staff", "unit_head": "hoa.head", "board": "hung.board",
         "inspector": "an.inspector", "none": "nobody"}


def ensure_installed() -> None:
    if not (HERE / "node_modules" / "oidc-provider" / "package.json").exists():
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"], cwd=HERE, check=True, timeout=300)


class OidcTestProvider:
    def __init__(self, redirect_uris: list[str], post_logout_uris: list[str], access_ttl: int = 600) -> None:
        ensure_installed()
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        env = {"PORT": str(self.port), "REDIRECT_URIS": ",".join(redirect_uris),
               "POST_LOGOUT_URIS": ",".join(post_logout_uris), "ACCESS_TTL": str(access_ttl),
               "PATH": "/usr/local/bin:/usr/bin:/bin"}
        self.process = subprocess.Popen(["node", "provider.mjs"], cwd=HERE, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.issuer}/.well-known/openid-configuration", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the test OpenID provider did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def sign_in_at_provider(authorization_url: str, login: str, stop_at: str) -> str:
    """Follows the provider's redirects and fills its login form as `login`; returns the URL it sends
    the browser back to (the first one starting with `stop_at`)."""
    with httpx.Client(timeout=10) as browser:
        url, method, data = authorization_url, "GET", None
        for _ in range(12):
            response = browser.request(method, url, data=data)
            if response.is_redirect:
                url, method, data = urljoin(url, response.headers["location"]), "GET", None
                if url.startswith(stop_at):
                    return url
                continue
            form = re.search(r'<form[^>]*action="([^"]+)"', response.text)
            assert form, f"no login form at {url}: {response.status_code} {response.text[:300]}"
            url, method, data = urljoin(url, form.group(1)), "POST", {"login": login, "password": "x",
                                                                       "prompt": "login"}
    raise AssertionError("the provider never sent the browser back")
