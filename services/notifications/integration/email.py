"""E-mail over SMTP (any server: the department's relay in production, aiosmtpd in tests).

UTF-8 throughout: the subject is RFC 2047 encoded and the body sent as text/plain; charset=utf-8,
so Vietnamese arrives intact. smtplib blocks, so each message is sent on a worker thread.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

from notifications.integration.webhook import DeliveryFailed


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    starttls: bool = False
    use_ssl: bool = False
    user: str | None = None
    password: str | None = None
    timeout: float = 15.0


def compose(sender: str, to: str, subject: str, text: str, message_id: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id
    message.set_content(text, charset="utf-8", cte="base64")  # 7-bit safe through any relay
    return message


class EmailSender:
    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    async def send(self, to: str, subject: str, text: str, message_id: str) -> None:
        message = compose(self.config.sender, to, subject, text, message_id)
        try:
            await asyncio.to_thread(self._send, message)
        except smtplib.SMTPResponseException as error:  # the server's own words are not kept, only its code
            raise DeliveryFailed(f"máy chủ thư từ chối (mã {error.smtp_code})") from None
        except smtplib.SMTPRecipientsRefused as error:
            codes = sorted({code for code, _ in error.recipients.values()})
            raise DeliveryFailed(f"máy chủ thư từ chối người nhận (mã {', '.join(map(str, codes))})") from None
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(f"không gửi được thư ({type(error).__name__})") from None

    def _send(self, message: EmailMessage) -> None:
        c = self.config
        client: smtplib.SMTP
        if c.use_ssl:
            client = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
        with client:
            if c.starttls and not c.use_ssl:
                client.starttls(context=ssl.create_default_context())
            if c.user:
                client.login(c.user, c.password or "")
            client.send_message(message)
