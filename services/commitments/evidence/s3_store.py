"""Evidence bytes in S3-compatible object storage, for deployments that have it (boto3).

Objects are named `<prefix><sha256>`; the size and media type ride in the object's metadata, so
`find` is one HEAD request. The bucket is the operator's: it is never created here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from commitments.evidence.model import EvidenceMissing, StoredFile
from commitments.evidence.store import CHUNK


class S3BlobStore:
    def __init__(self, bucket: str, *, prefix: str = "evidence/", endpoint_url: str | None = None,
                 region: str | None = None, access_key_id: str | None = None,
                 secret_access_key: str | None = None) -> None:
        self.bucket, self.prefix = bucket, prefix
        self.client: Any = boto3.client(
            "s3", endpoint_url=endpoint_url, region_name=region, aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}, s3={"addressing_style": "path"}))

    def _key(self, sha256: str) -> str:
        return f"{self.prefix}{sha256}"

    def find(self, sha256: str) -> StoredFile | None:
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._key(sha256))
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return StoredFile(sha256, int(head["ContentLength"]), head["ContentType"])

    def put(self, stored: StoredFile, file: BinaryIO) -> None:
        file.seek(0)
        self.client.upload_fileobj(file, self.bucket, self._key(stored.sha256),
                                   ExtraArgs={"ContentType": stored.media_type})

    def chunks(self, sha256: str) -> Iterator[bytes]:
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self._key(sha256))["Body"]
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise EvidenceMissing(sha256) from e
            raise
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()

    def close(self) -> None:
        self.client.close()
