"""Key pairs for a laptop or a test run: token signing, event signing, audit checkpoints.

Production keys come from the deployment's secret store; these files are for development only.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

KEY_NAMES = ("jwt", "event-signing", "checkpoint")

# One sample user per role, from the notice's own people and units, for `camket mint-token`.
DEV_USERS: dict[str, tuple[str, str, str]] = {
    "office": ("vp.nhung", "Trần Thị Nhung", "vp"),
    "unit_staff": ("qlcn.an", "Nguyễn Văn An", "ql-cndmst"),
    "unit_head": ("qlcn.binh", "Lê Thị Bình", "ql-cndmst"),
    "board": ("bgd.lam", "Trần Ngọc Lâm", "bgd"),
    "inspector": ("tt.cuong", "Phạm Văn Cường", "thanh-tra"),
}


def ensure_key_pair(keys_dir: Path, name: str) -> Path:
    """Writes <name>.pem (private, 0600) and <name>.pub.pem if missing; returns the private key's path."""
    keys_dir.mkdir(parents=True, exist_ok=True)
    private_path, public_path = keys_dir / f"{name}.pem", keys_dir / f"{name}.pub.pem"
    if not private_path.exists():
        key = Ed25519PrivateKey.generate()
        private_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                   serialization.NoEncryption()))
        private_path.chmod(0o600)
        public_path.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                              serialization.PublicFormat.SubjectPublicKeyInfo))
    return private_path


def load_private_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key
