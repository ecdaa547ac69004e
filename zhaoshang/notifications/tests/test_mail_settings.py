"""The SMTP settings reach Django's mail backend: a mail server that accepts the connection and then
says nothing is given up after EMAIL_TIMEOUT seconds instead of holding the sender for ever, and
EMAIL_USE_SSL makes the backend speak SSL from the first byte."""

from __future__ import annotations

import socket
import time

import pytest
from django.core import mail
from django.core.mail.backends.smtp import EmailBackend

SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def silent_server():
    """A socket that accepts connections (the kernel's backlog) and never greets."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    yield server.getsockname()[1]
    server.close()


def test_a_silent_mail_server_is_given_up_after_the_timeout(settings, silent_server):
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", silent_server, 1
    started = time.monotonic()
    with pytest.raises(OSError):  # socket.timeout is an OSError (TimeoutError)
        mail.send_mail("主题", "正文", "zhaoshang@example.gov.cn", ["someone@example.gov.cn"])
    assert time.monotonic() - started < 5


def test_the_backend_takes_ssl_and_timeout_from_the_settings(settings):
    settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL, settings.EMAIL_TIMEOUT = False, True, 7
    backend = mail.get_connection(SMTP)
    assert isinstance(backend, EmailBackend)
    assert (backend.use_ssl, backend.use_tls, backend.timeout) == (True, False, 7)
