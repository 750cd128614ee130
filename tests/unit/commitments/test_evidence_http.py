"""Evidence over HTTP (in-memory stores): a file goes in once, comes out with the same SHA-256, and
anything refused gets a 4xx naming the field with nothing kept."""

from __future__ import annotations

import base64
import hashlib

from tests import evidence_samples as f
from tests.unit.commitments import test_http
from tests.unit.commitments.test_http import Api

URL = "/api/v1/evidence"
api = test_http.api  # the in-process service, as the HTTP tests build it


def upload(api: Api, data: bytes, name: str = "Báo cáo quý II.pdf", role: str = "unit_staff") -> object:
    return api.client.post(URL, params={"name": name}, content=data,
                           headers=api.auth(role) | {"Content-Type": "application/octet-stream"})


def stored_count(api: Api) -> int:
    return len(api.client.app.state.container.evidence.store.files)  # type: ignore[attr-defined]


def test_a_pdf_is_kept_under_its_hash_and_downloads_unchanged(api: Api) -> None:
    response = upload(api, f.PDF)
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    sha = hashlib.sha256(f.PDF).hexdigest()
    assert body == {"sha256": sha, "name": "Báo cáo quý II.pdf", "media_type": "application/pdf",
                    "size": len(f.PDF)}
    download = api.client.get(f"{URL}/{sha}", headers=api.auth("inspector"))
    assert download.status_code == 200
    assert download.content == f.PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["repr-digest"] == f"sha-256=:{base64.b64encode(bytes.fromhex(sha)).decode()}:"
    assert download.headers["x-content-type-options"] == "nosniff"


def test_the_same_bytes_twice_are_kept_once(api: Api) -> None:
    first, second = upload(api, f.DOCX, "a.docx"), upload(api, f.DOCX, "b.docx")
    assert first.json()["sha256"] == second.json()["sha256"]  # type: ignore[attr-defined]
    assert second.json()["name"] == "b.docx"  # type: ignore[attr-defined]
    assert stored_count(api) == 1


def test_a_disguised_executable_is_refused(api: Api) -> None:
    response = upload(api, f.EXE, "bao-cao.pdf")
    assert response.status_code == 415  # type: ignore[attr-defined]
    assert response.json()["errors"][0]["field"] == "file"  # type: ignore[attr-defined]
    assert stored_count(api) == 0


def test_an_oversized_file_is_refused_while_it_arrives(api: Api) -> None:
    limit = api.client.app.state.container.evidence.max_bytes  # type: ignore[attr-defined]
    response = upload(api, f.PDF + bytes(limit))
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert response.json()["errors"][0]["field"] == "file"  # type: ignore[attr-defined]
    assert stored_count(api) == 0


def test_names_that_cannot_be_shown_or_saved_are_refused(api: Api) -> None:
    for name in ("../../etc/passwd", "bad\u0000.pdf", "evil\u202efdp.exe", " "):
        response = upload(api, f.PDF, name)
        assert response.status_code == 422, name  # type: ignore[attr-defined]
        assert response.json()["errors"][0]["field"] == "name"  # type: ignore[attr-defined]
    assert stored_count(api) == 0


def test_the_inspectorate_reads_but_does_not_upload(api: Api) -> None:
    assert upload(api, f.PDF, role="inspector").status_code == 403  # type: ignore[attr-defined]
    assert api.client.post(URL, params={"name": "x.pdf"}, content=f.PDF).status_code == 401
    assert stored_count(api) == 0


def test_unknown_and_malformed_hashes(api: Api) -> None:
    assert api.client.get(f"{URL}/{'0' * 64}", headers=api.auth("board")).status_code == 404
    assert api.client.get(f"{URL}/not-a-hash", headers=api.auth("board")).status_code == 422
