"""Accounts: the teacher/student groups, student accounts made by a teacher, readable passwords."""
import re
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

# Passwords a teacher reads out or prints: no look-alike characters, long enough for Django's validators.
_WORDS = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"


def group(name):
    return Group.objects.get_or_create(name=name)[0]


def make_teacher(user):
    user.groups.add(group("teacher"))


def new_password():
    return "-".join("".join(secrets.choice(_WORDS) for _ in range(4)) for _ in range(3))


def _username_base(name):
    base = re.sub(r"[^\w.@+-]", "", name.strip().lower().replace(" ", "."), flags=re.UNICODE)
    return (base or "student")[:140]


def unique_username(name):
    User = get_user_model()
    base = _username_base(name)
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


@transaction.atomic
def create_students(classroom, names):
    """Accounts for `names`, members of `classroom`: [{name, username, password}] (shown once)."""
    User = get_user_model()
    created = []
    for name in names:
        username = unique_username(name)
        password = new_password()
        first, _, last = name.strip().partition(" ")
        user = User.objects.create_user(username=username, password=password, first_name=first[:150], last_name=last[:150])
        user.groups.add(group("student"))
        classroom.memberships.create(student=user)
        created.append({"name": name.strip(), "username": username, "password": password})
    return created


def spreadsheet_safe(value):
    """A CSV cell a spreadsheet will not run as a formula (names are typed by people: "=HYPERLINK(...)")."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
