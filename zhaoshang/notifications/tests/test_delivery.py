"""Notifications leave through the job queue: e-mail to a (local, fake) SMTP server and messages to a
unit's WeCom group robot (a local fake webhook), never from inside the request that caused them."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from zhaoshang.accounts.models import Membership, User
from zhaoshang.audit.models import Entry
from zhaoshang.core.permissions import Role
from zhaoshang.dispatch import services as dispatch
from zhaoshang.dispatch.tests.conftest import worded
from zhaoshang.jobs.models import Job, JobStatus
from zhaoshang.jobs.services import retry
from zhaoshang.jobs.testing import run_queued
from zhaoshang.notifications.models import GroupMessage, Notification, UnitRobot
from zhaoshang.notifications.services import batched_delivery, notify, set_robot


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield inbox
    controller.stop()


class HungServer:
    """Accepts connections and never says a word: a mail server that hangs."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.connections: list[socket.socket] = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)

    def close(self) -> None:
        for conn in self.connections:
            conn.close()
        self.sock.close()


@pytest.fixture
def hung_smtp(settings: Any) -> Iterator[HungServer]:
    server = HungServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 1
    yield server
    server.close()


class WeCom:
    """A local stand-in for WeCom's group-robot webhook: key "ok" answers errcode 0, others fail."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict[str, Any]]] = []
        posts = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                posts.append((self.path, body))
                ok = self.path.endswith("key=ok")
                answer = (
                    {"errcode": 0, "errmsg": "ok"} if ok else {"errcode": 93000, "errmsg": "invalid webhook"}
                )
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/webhook/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def wecom(settings: Any) -> Iterator[WeCom]:
    fake = WeCom()
    settings.WECOM_WEBHOOK_HOSTS = ["127.0.0.1"]
    settings.WECOM_TIMEOUT = 5
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def test_the_worker_mails_a_notification_through_the_smtp_server(cast, smtp):
    cast.operator_a.email = "town_a@example.gov.cn"
    cast.operator_a.save()
    notify([cast.operator_a], title="催报：城关镇项目", body="请于3月12日前填报", link="/dispatch/", key="k")
    assert smtp.messages == []
    run_queued()
    (message,) = smtp.messages
    assert message.rcpt_tos == ["town_a@example.gov.cn"]
    text = message.content.decode()
    assert "http://127.0.0.1:8000/dispatch/" in text
    assert Notification.objects.get().emailed
    assert Job.objects.get().status == JobStatus.SUCCEEDED


def test_a_hung_mail_server_holds_no_request_and_the_failed_job_is_retried(
    client, cast, opened, smtp, hung_smtp, settings
):
    cast.operator_a.email = "town_a@example.gov.cn"
    cast.operator_a.save()
    report = worded(dispatch.create_report(opened["round"], opened["a"], by=cast.operator_a), cast.operator_a)
    dispatch.submit_report(report, by=cast.operator_a, today=dt.date(2026, 3, 12))
    settings.EMAIL_PORT = hung_smtp.port  # the site's mail server hangs today
    client.force_login(cast.admin)
    response = client.post(reverse("dispatch:report_return", args=[report.pk]), {"reason": "金额不符"})
    assert response.status_code == 302
    assert hung_smtp.connections == []  # the page answered without touching the mail server
    run_queued()
    delivery = Job.objects.get(kind="notifications.deliver")
    assert delivery.status == JobStatus.FAILED and "town_a@example.gov.cn" in delivery.message
    assert len(hung_smtp.connections) == 1
    assert not Notification.objects.get(recipient=cast.operator_a).emailed
    # The mail server is back: a retry sends what failed, once.
    settings.EMAIL_PORT = smtp.port
    with pytest.raises(PermissionDenied):  # the deployment's own job: not a county's to retry
        retry(delivery, by=cast.admin)
    retry(delivery, by=national_admin(cast))
    run_queued()
    delivery.refresh_from_db()
    assert delivery.status == JobStatus.SUCCEEDED
    assert [m.rcpt_tos for m in smtp.messages] == [["town_a@example.gov.cn"]]


def national_admin(cast: Any) -> Any:
    user = User.objects.create_user(username="nation", password="x", display_name="省管理员")
    Membership.objects.create(user=user, unit=cast.province, role=Role.BUREAU_ADMIN)
    return user


def test_a_units_wecom_group_gets_its_reminder_once(cast, wecom):
    set_robot(cast.town_a, by=cast.admin, webhook_url=f"{wecom.url}?key=ok", is_active=True)
    set_robot(cast.town_b, by=cast.admin, webhook_url=f"{wecom.url}?key=ok", is_active=False)
    with batched_delivery():
        notify(
            [cast.operator_a],
            title="跟进提醒",
            body="温州客商今日跟进",
            link="/investors/1/",
            key="f1",
            unit=cast.town_a,
        )
        notify([cast.operator_a], title="跟进提醒", body="温州客商今日跟进", key="f1", unit=cast.town_a)
        notify([cast.operator_b], title="河口乡提醒", body="", key="f2", unit=cast.town_b)  # robot off
    assert Job.objects.count() == 1 and wecom.posts == []
    run_queued()
    ((path, body),) = wecom.posts
    assert path.endswith("key=ok") and body["msgtype"] == "text"
    assert "跟进提醒" in body["text"]["content"] and "/investors/1/" in body["text"]["content"]
    assert GroupMessage.objects.get(unit=cast.town_a).sent_at is not None


def test_a_wecom_error_fails_the_job_with_its_reason(cast, wecom):
    set_robot(cast.town_a, by=cast.admin, webhook_url=f"{wecom.url}?key=revoked", is_active=True)
    notify([], title="提醒", body="", key="k", unit=cast.town_a)
    run_queued()
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and "93000" in job.message
    assert GroupMessage.objects.get().sent_at is None


def test_a_robot_must_point_at_a_wecom_host_and_its_address_stays_out_of_the_log(cast, settings):
    from zhaoshang.core.errors import ValidationError

    with pytest.raises(ValidationError):
        set_robot(cast.town_a, by=cast.admin, webhook_url="http://10.0.0.1/admin", is_active=True)
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secret-key"
    set_robot(cast.town_a, by=cast.admin, webhook_url=url, is_active=True)
    entry = Entry.objects.filter(object_type="notifications.unitrobot").get()
    assert "secret-key" not in json.dumps(entry.after) and entry.note == "webhook address set"
    set_robot(cast.town_a, by=cast.admin, webhook_url="", is_active=True)
    assert not UnitRobot.objects.exists()


def test_the_robot_page_is_for_those_who_configure_the_unit(client, cast, settings):
    settings.WECOM_WEBHOOK_HOSTS = ["qyapi.weixin.qq.com"]
    page = reverse("notifications:robot", args=[cast.town_a.pk])
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"
    client.force_login(cast.operator_a)  # sees the unit, does not configure it
    assert client.get(page).status_code == 403
    assert client.post(page, {"webhook_url": url, "is_active": "on"}).status_code == 403
    client.force_login(cast.stranger)  # another county: the unit does not exist for them
    assert client.get(page).status_code == 404
    assert client.post(page, {"webhook_url": url, "is_active": "on"}).status_code == 404
    assert not UnitRobot.objects.exists()
    client.force_login(cast.admin)
    answer = client.post(page, {"webhook_url": "http://example.com/x", "is_active": "on"})
    assert answer.status_code == 400 and "qyapi.weixin.qq.com" in answer.content.decode()
    assert client.post(page, {"webhook_url": url, "is_active": "on", "send_test": "on"}).status_code == 302
    assert UnitRobot.objects.get().webhook_url == url
    assert Job.objects.get().unit == cast.town_a  # the test message, on its way
    listing = client.get(reverse("notifications:robots")).content.decode()
    assert "城关镇" in listing
    client.force_login(cast.stranger)
    assert "城关镇" not in client.get(reverse("notifications:robots")).content.decode()
