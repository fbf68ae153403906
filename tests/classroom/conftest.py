"""A small cast, as in healthchecks' tests: the teacher tina teaches 7A, where alice and bob are
students; tom teaches another class; root is the admin. alice's run is private, bob's is shared."""
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from playground.classroom import accounts
from playground.classroom.models import Assignment, Classroom, Membership
from playground.runs.models import Run, RunStatus
from tests.conftest import make_spec

ROLES = ("anonymous", "student", "other_student", "teacher", "other_teacher", "admin")
PASSWORD = "correct-horse-battery-9"


def small_spec(epochs=2, **training):
    spec = make_spec(epochs=epochs, **training)
    spec["dataset"]["samples"] = 100
    return spec


@dataclass
class World:
    users: dict
    classroom: Classroom
    other_classroom: Classroom
    assignment: Assignment
    run_alice: Run
    run_bob: Run

    def client(self, role):
        client = Client()
        if self.users.get(role) is not None:
            client.force_login(self.users[role])
        return client


def make_user(username, teacher=False, staff=False):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, is_staff=staff, is_superuser=staff)
    if teacher:
        accounts.make_teacher(user)
    return user


def finished_run(owner, assignment, shared=False, accuracy=0.8, params=97):
    return Run.objects.create(owner=owner, assignment=assignment, shared=shared, spec=small_spec(),
                              status=RunStatus.SUCCEEDED, params=params,
                              final={"test_accuracy": accuracy, "test_loss": 0.4, "train_loss": 0.3, "train_accuracy": 0.85})


@pytest.fixture
def world(db):
    tina, tom = make_user("tina", teacher=True), make_user("tom", teacher=True)
    alice, bob = make_user("alice"), make_user("bob")
    root = make_user("root", staff=True)
    classroom = Classroom.objects.create(name="7A", teacher=tina)
    other = Classroom.objects.create(name="7B", teacher=tom)
    for student in (alice, bob):
        Membership.objects.create(classroom=classroom, student=student)
    assignment = Assignment.objects.create(
        classroom=classroom, title="Spiral", instructions="Reach 0.9", preset=small_spec(),
        target_metric="test_accuracy", target_comparison=">=", target_threshold=0.9, locked=["dataset"], hidden=["noise"])
    return World(
        users={"anonymous": None, "student": alice, "other_student": bob, "teacher": tina, "other_teacher": tom, "admin": root},
        classroom=classroom, other_classroom=other, assignment=assignment,
        run_alice=finished_run(alice, assignment), run_bob=finished_run(bob, assignment, shared=True, accuracy=0.95))


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 costs ~0.3 s a user on this machine: the tests' users do not need it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
