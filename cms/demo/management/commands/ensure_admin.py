"""Create the first administrator when there is none, and print the login to use."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from cms.accounts.roles import ADMINISTRATOR

CREDENTIALS_FILE = Path(settings.BASE_DIR) / ".local" / "admin-login.txt"


class Command(BaseCommand):
    help = "Create an administrator (user 'admin') if the portal has none and print its login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            user = User.objects.create_superuser(username, f"{username}@example.org", password)
            user.groups.add(Group.objects.get(name=ADMINISTRATOR))
            CREDENTIALS_FILE.parent.mkdir(exist_ok=True)
            CREDENTIALS_FILE.write_text(f"{username}\n{password}\n", encoding="utf-8")
            CREDENTIALS_FILE.chmod(0o600)
        if CREDENTIALS_FILE.exists():
            name, password = CREDENTIALS_FILE.read_text(encoding="utf-8").split()[:2]
            if user.check_password(password):
                self.stdout.write(self.style.SUCCESS(f"Administrator login: {name} / {password}"))
                return
        self.stdout.write(
            f"Administrator '{username}' exists; set its password with: manage.py changepassword {username}"
        )
