"""A real SMTP server on 127.0.0.1 for the tests that read what was sent (aiosmtpd)."""

import asyncio
import logging
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass(frozen=True)
class Received:
    to: tuple[str, ...]
    message: EmailMessage
    peer: str  # the client's address and port: one per SMTP connection


class SmtpRecorder:
    """An aiosmtpd handler that keeps every message it accepts, optionally slowly (so that a
    worker can be killed in the middle of a batch) and refusing some recipients."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.delay = 0.0
        self.refuse: set[str] = set()
        self._lock = threading.Lock()

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        content = envelope.original_content or envelope.content
        assert isinstance(content, bytes)
        message = message_from_bytes(content, policy=default_policy)
        assert isinstance(message, EmailMessage)
        peer = str(session.peer)  # (host, port) of the client, typed as a str by aiosmtpd
        with self._lock:
            self.received.append(Received(tuple(envelope.rcpt_tos), message, peer))
        return "250 2.0.0 Accepted"

    def messages(self) -> list[Received]:
        with self._lock:
            return list(self.received)


@dataclass
class SmtpServer:
    host: str
    port: int
    recorder: SmtpRecorder

    def messages(self) -> list[Received]:
        return self.recorder.messages()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """An SMTP server on 127.0.0.1 (a free port) that records what it accepts."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    recorder = SmtpRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", controller.port, recorder)
    finally:
        controller.stop()


@pytest.fixture
def smtp_settings(settings, smtp_server: SmtpServer) -> SmtpServer:
    """Django's mail settings pointed at the recording server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.host
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    return smtp_server
