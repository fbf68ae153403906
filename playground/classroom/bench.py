"""Measures the classroom's hot paths on a synthetic class of 200 students (1,000 queued runs, 200
finished runs with 200 metric events each). Against a throwaway database:

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python -m playground.classroom.bench
"""
import os, time, statistics, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from django.conf import settings
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
from playground.classroom.models import Classroom, Membership, Assignment
from playground.classroom import accounts
from playground.classroom.scheduler import fair_order, queue_position
from playground.runs.models import Run, RunEvent
from tests.conftest import make_spec
U = get_user_model()
teacher = U.objects.create_user("t", password="x"); accounts.make_teacher(teacher)
c = Classroom.objects.create(name="big", teacher=teacher)
a = Assignment.objects.create(classroom=c, title="A", preset=make_spec())
students = [U(username=f"s{i}") for i in range(200)]
U.objects.bulk_create(students)
students = list(U.objects.filter(username__startswith="s"))
Membership.objects.bulk_create([Membership(classroom=c, student=s) for s in students])
runs = []
for s in students:
    for k in range(5):
        runs.append(Run(owner=s, spec=make_spec(), assignment=a, params=100))
Run.objects.bulk_create(runs)
# finished runs with 200 metric points each for curves
fin = [Run(owner=s, spec=make_spec(), assignment=a, status="succeeded", final={"test_accuracy": 0.9}) for s in students]
Run.objects.bulk_create(fin)
RunEvent.objects.bulk_create([RunEvent(run=r, seq=i, type="metrics", payload={"points": [{"epoch": i, "train_loss": 1.0, "test_loss": 1.0}]}) for r in fin for i in range(1, 201)])
def t(f, n=5):
    xs=[]
    for _ in range(n):
        t0=time.perf_counter(); f(); xs.append(time.perf_counter()-t0)
    return round(statistics.median(xs)*1000,1)
print("fair_order over 1000 queued runs / 200 students (ms):", t(lambda: fair_order("cpu")))
last = Run.objects.filter(status="queued").order_by("-created_at").first()
print("queue_position of the last queued run (ms):", t(lambda: queue_position(last)))
cl = Client(); cl.force_login(teacher)
print("GET class view, 200 students (ms):", t(lambda: cl.get(f"/api/assignments/{a.id}/class")))
print("GET leaderboard, 200 students (ms):", t(lambda: cl.get(f"/api/assignments/{a.id}/leaderboard")))
ids = ",".join(str(r.id) for r in fin)
print("GET curves of 200 finished runs x 200 points (ms):", t(lambda: cl.get(f"/api/curves?runs={ids}"), 3))
