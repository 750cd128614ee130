"""What both task storages (PostgreSQL and memory) share: the stored form of the domain's values and
the signing of rows. Each storage is the library's infrastructure factory plus this (ports.TaskStorage)."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.persistence import JSONTranscoder, Mapper

from commitments.application.ports import EventSigner
from commitments.domain.transcodings import register_domain_transcodings
from commitments.persistence.signing import SigningMapper


class StoredForm:
    """Mixed into an infrastructure factory, after it."""

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        register_domain_transcodings(transcoder)

    def signing_mapper(self, mapper: Mapper[UUID], signer: EventSigner) -> Mapper[UUID]:
        return SigningMapper(mapper, signer)
