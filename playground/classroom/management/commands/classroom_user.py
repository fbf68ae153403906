"""Create (or update) an account from the command line: a teacher or an admin for a fresh instance.

    manage.py classroom_user tina --teacher --password '...'
    manage.py classroom_user root --admin            (asks for the password)
"""
import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from playground.classroom import accounts


class Command(BaseCommand):
    help = "Create or update a user; --teacher adds them to the teacher group, --admin makes them staff."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password")
        parser.add_argument("--teacher", action="store_true")
        parser.add_argument("--admin", action="store_true")

    def handle(self, username, password=None, teacher=False, admin=False, **options):
        User = get_user_model()
        user = User.objects.filter(username=username).first() or User(username=username)
        password = password or getpass.getpass(f"password for {username}: ")
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages))
        user.set_password(password)
        if admin:
            user.is_staff = user.is_superuser = True
        user.save()
        if teacher:
            accounts.make_teacher(user)
        roles = [r for r, on in (("teacher", teacher), ("admin", admin)) if on] or ["student"]
        self.stdout.write(f"{username}: {', '.join(roles)}")
