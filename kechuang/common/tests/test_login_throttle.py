"""Login throttling (issue 11, item 28): repeated failures lock the account and the address out, with a
Chinese message, recorded; a staff member unlocks."""

from __future__ import annotations

import pytest
from django.test import Client

LIMIT = 5
ADDRESS_LIMIT = 12


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.KECHUANG_LOGIN_ADDRESS_FAILURE_LIMIT = ADDRESS_LIMIT


def _login(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_failures_lock_the_account_even_for_the_right_password(client, cast):
    from axes.models import AccessAttempt, AccessFailureLog

    statuses = [_login(client, "acme", "wrong").status_code for _ in range(LIMIT)]
    assert statuses == [200] * (LIMIT - 1) + [429]  # the LIMIT-th failure locks
    response = _login(client, "acme", "pw")
    page = response.content.decode()
    assert response.status_code == 429
    assert "登录失败次数过多" in page and "联系科技局管理员" in page
    assert "_auth_user_id" not in client.session
    # recorded: the attempt with its count, and one log row per failure
    assert AccessAttempt.objects.get(username="acme").failures_since_start >= LIMIT
    assert AccessFailureLog.objects.filter(username="acme").count() >= LIMIT
    # per account: another address does not help
    assert _login(Client(), "acme", "pw", address="10.0.0.2").status_code == 429


def test_one_locked_account_does_not_lock_its_colleagues_at_the_same_address(client, cast):
    """An office behind one NAT address: one person's typos lock that person's account only."""
    for _ in range(LIMIT):
        _login(client, "xuanhan", "wrong", address="127.0.0.1")
    assert _login(Client(), "xuanhan", "pw", address="127.0.0.1").status_code == 429
    colleague = Client()
    response = _login(colleague, "city", "pw", address="127.0.0.1")
    assert response.status_code == 302 and "_auth_user_id" in colleague.session
    # the colleague's success does not clear the locked account's failures
    assert _login(Client(), "xuanhan", "pw", address="127.0.0.1").status_code == 429
    # and the message says it is the account that is locked
    page = _login(Client(), "xuanhan", "pw", address="127.0.0.1").content.decode()
    assert "该账号" in page and "网络地址" not in page


def test_failures_across_many_accounts_lock_the_address(client, cast):
    """Password spraying: a few guesses each for many accounts from one address lock the address after
    the (much higher) address limit, for every account; other addresses are not affected."""
    for number in range(ADDRESS_LIMIT - 1):
        _login(client, f"guess{number}", "wrong", address="10.9.9.9")
    assert _login(Client(), "rival", "pw", address="10.9.9.9").status_code == 302  # below the address limit
    _login(client, "guess_last", "wrong", address="10.9.9.9")
    response = _login(Client(), "rival", "pw", address="10.9.9.9")
    page = response.content.decode()
    assert response.status_code == 429
    assert "网络地址" in page and f"{ADDRESS_LIMIT}" in page
    other = Client()
    response = _login(other, "rival", "pw", address="10.9.9.8")
    assert response.status_code == 302 and "_auth_user_id" in other.session


def test_a_success_before_the_limit_clears_the_count(client, cast):
    for _ in range(LIMIT - 1):
        _login(client, "acme", "wrong")
    assert _login(client, "acme", "pw").status_code == 302


def test_the_city_administrator_unlocks_an_account_in_the_admin(client, cast):
    for _ in range(LIMIT):
        _login(Client(), "acme", "wrong")
    assert _login(Client(), "acme", "pw").status_code == 429
    client.force_login(cast["city"])
    page = client.get("/admin/core/user/").content.decode()
    assert "解除登录锁定" in page
    response = client.post("/admin/core/user/", {"action": "unlock_logins", "_selected_action": [cast["acme"].pk]})
    assert response.status_code == 302
    assert _login(Client(), "acme", "pw").status_code == 302


def test_the_failure_records_are_scoped_in_the_admin(client, cast, regions):
    from kechuang.core.models import User

    User.objects.create_superuser("root", password="pw")
    for name in ("acme", "root"):
        _login(Client(), name, "wrong", address="10.1.1.1")
    client.force_login(cast["city"])
    page = client.get("/admin/axes/accessattempt/").content.decode()
    assert page.count(">acme<") >= 1 and "root" not in page



def test_behind_a_proxy_the_client_address_is_the_forwarded_one(settings):
    from django.test import RequestFactory

    from kechuang.common.lockout import client_address

    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="127.0.0.1",
                                    HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3")
    assert client_address(request) == "127.0.0.1"  # no proxy configured: the header is not trusted
    settings.KECHUANG_PROXY_COUNT = 1
    assert client_address(request) == "10.1.2.3"  # what the one trusted proxy saw; 6.6.6.6 was typed in


def test_a_locked_out_script_gets_json(client, cast):
    for _ in range(LIMIT):
        _login(client, "acme", "wrong")
    response = client.post("/accounts/login/", {"username": "acme", "password": "pw"},
                           headers={"Accept": "application/json"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429 and "登录失败次数过多" in response.json()["detail"]
