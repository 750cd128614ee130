"""What docker-compose.yml mounts, made for real: deploy/secrets.sh creates every secret and config
file the compose file names, and the NATS service's entrypoint, run with those files, gives a config
that nats-server accepts (compose.conf + accounts.conf; cluster.conf likewise)."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
from pathlib import Path

import yaml

from devstack import scratch_dir
from devstack.natsserver import find_nats_server

ROOT = Path(__file__).resolve().parents[3]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
COMPOSE_DIR = "./.camket/compose"


def _make_secrets(where: Path) -> dict[str, Path]:
    env = os.environ | {"CAMKET_COMPOSE_DIR": str(where), "CAMKET_CLI": str(ROOT / ".venv" / "bin" / "camket")}
    subprocess.run([str(ROOT / "deploy" / "secrets.sh")], env=env, check=True, capture_output=True)
    files = {**COMPOSE["secrets"], **COMPOSE["configs"]}
    return {name: where / spec["file"].removeprefix(COMPOSE_DIR + "/") for name, spec in files.items()}


def test_secrets_sh_makes_every_file_the_compose_file_mounts_and_keeps_them() -> None:
    with scratch_dir() as tmp:
        files = _make_secrets(tmp / "compose")
        contents = {name: path.read_text() for name, path in files.items()}
        assert contents["event-signing-key"].startswith("-----BEGIN PRIVATE KEY-----")
        assert contents["checkpoint-key"].startswith("-----BEGIN PRIVATE KEY-----")
        assert contents["jwt-public-key"].startswith("-----BEGIN PUBLIC KEY-----")
        assert len(base64.b64decode(contents["webhook-secret-key"].strip(), validate=True)) == 32
        passwords = [text.strip() for name, text in contents.items() if name.endswith("-password")]
        assert len(set(passwords)) == len(passwords) == 6
        assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]{20,}", p) for p in passwords)
        assert oct((tmp / "compose").stat().st_mode & 0o777) == "0o700"
        assert {name: path.read_text() for name, path in _make_secrets(tmp / "compose").items()} == contents


def _entrypoint_script(secrets_dir: Path, conf: Path) -> str:
    """The nats service's shell command as the container runs it: compose's $$ unescaped, the secrets
    at their container path replaced by the generated files, and `-t` to check the config only."""
    script: str = COMPOSE["services"]["nats"]["command"][0].replace("$$", "$")
    script = script.replace("/run/secrets/", f"{secrets_dir}/")
    return script.replace("exec nats-server -js -c /etc/nats/camket.conf", f"exec {find_nats_server()} -c {conf} -t")


def test_the_nats_entrypoint_and_configs_are_accepted_by_nats_server() -> None:
    with scratch_dir() as tmp:
        files = _make_secrets(tmp / "compose")
        secrets_dir, etc = tmp / "run-secrets", tmp / "etc-nats"
        secrets_dir.mkdir()
        etc.mkdir()
        for name, path in files.items():
            if name.startswith("nats-"):
                shutil.copy(path, secrets_dir / name)
        for mount in COMPOSE["services"]["nats"]["volumes"]:  # ./deploy/nats/x.conf:/etc/nats/y.conf:ro
            source, target = mount.split(":")[:2]
            if source.startswith("./"):
                shutil.copy(ROOT / source, etc / Path(target).name)
        result = subprocess.run(["/bin/sh", "-c", _entrypoint_script(secrets_dir, etc / "camket.conf")],
                                capture_output=True, text=True, env={"PATH": os.environ["PATH"]}, check=False)
        assert result.returncode == 0, result.stderr + result.stdout
        assert "is valid" in result.stderr + result.stdout
        # The same file refuses to load without the passwords: no server ever runs open.
        bare = subprocess.run([find_nats_server(), "-c", str(etc / "camket.conf"), "-t"], capture_output=True,
                              text=True, env={"PATH": os.environ["PATH"]}, check=False)
        assert bare.returncode != 0 and "CAMKET_NATS_PUBLISHER_PASSWORD" in bare.stderr


def test_the_cluster_node_config_is_accepted_with_the_accounts() -> None:
    with scratch_dir() as tmp:
        for name in ("cluster.conf", "accounts.conf"):
            shutil.copy(ROOT / "deploy" / "nats" / name, tmp / name)
        env = {"PATH": os.environ["PATH"], "NATS_SERVER_NAME": "nats-1"} | {
            f"CAMKET_NATS_{u}_PASSWORD": "kcheck" for u in
            ("PUBLISHER", "REPORTING", "NOTIFICATIONS", "SEALER", "COMMITMENTS", "PORTAL")}
        result = subprocess.run([find_nats_server(), "-c", str(tmp / "cluster.conf"), "-t"], capture_output=True,
                                text=True, env=env, check=False)
        assert result.returncode == 0, result.stderr
