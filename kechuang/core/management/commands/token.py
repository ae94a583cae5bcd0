"""``kechuang token USERNAME``: issue an API bearer token (the key is printed once)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from kechuang.core.models import ApiToken, User


class Command(BaseCommand):
    help = "为用户签发 API 令牌（只显示一次）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="令牌用途")

    def handle(self, *args, username: str, name: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户不存在：{username}")
        token, key = ApiToken.issue(user, name)
        self.stdout.write(key)
        self.stderr.write(f"已为 {user} 签发令牌 {token.prefix}…；请求头：Authorization: Bearer <令牌>")
