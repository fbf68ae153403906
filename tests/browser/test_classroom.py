"""A lesson, end to end in chromium: a teacher creates a classroom and an assignment, two students
join with the code and train, and the teacher's live class view shows both runs updating."""
import re
import subprocess

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, ROOT, SCREENSHOTS, VIEWPORT, _bin, embedded_env, embedded_server

pytestmark = pytest.mark.browser
TEACHER_PASSWORD = "lesson-plan-4-today"
STUDENT_PASSWORD = "spiral-learner-77"


@pytest.fixture(scope="module")
def classroom_server(tmp_path_factory):
    """The app as `make run` serves it (embedded mode), with a teacher account made on the command line."""
    env = {**embedded_env(tmp_path_factory.mktemp("classroom-db")), "OMP_NUM_THREADS": "1"}
    manage = [_bin("python"), "manage.py"]
    subprocess.run([*manage, "classroom_user", "tina", "--teacher", "--password", TEACHER_PASSWORD], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*manage, "classroom_user", "root", "--admin", "--password", TEACHER_PASSWORD], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    with embedded_server(env, "browser-classroom-daphne.log") as base:
        yield base


def new_page(browser, base):
    context = browser.new_context(viewport=VIEWPORT, locale="en-US", base_url=base)
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return context, page, errors


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def ready(page):
    page.wait_for_selector("body[data-ready=true]", state="attached")


def points(card):
    return int(card.locator("[data-testid=mini-curve]").get_attribute("data-points") or 0)


def log_in(page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEACHER_PASSWORD)
    page.click("button[type=submit]")
    ready(page)


def test_a_teacher_watches_two_students_train_live(browser, classroom_server):
    teacher_ctx, teacher, teacher_errors = new_page(browser, classroom_server)
    log_in(teacher, "tina")

    # a classroom, its join code, an assignment whose dataset is locked and noise hidden
    teacher.fill("[data-testid=classroom-name]", "Year 9 · Neural nets")
    teacher.click("[data-testid=create-classroom]")
    teacher.wait_for_url(re.compile(r"/classroom/\d+/$"))
    ready(teacher)
    code = teacher.inner_text("[data-testid=join-code-value]").strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
    teacher.fill("[data-testid=assignment-title]", "Separate the circle")
    teacher.fill("[data-testid=assignment-instructions]", "Reach test accuracy 0.9 with few parameters.")
    # long enough to watch (the students stop their runs at the end)
    preset = (teacher.input_value("[data-testid=assignment-preset]")
              .replace('"epochs": 30', '"epochs": 3000').replace('"batch_size": 10', '"batch_size": 2'))
    teacher.fill("[data-testid=assignment-preset]", preset)
    teacher.check("input[name=locked][value=dataset]")
    teacher.check("input[name=hidden][value=noise]")
    shoot(teacher, "classroom-teacher-setup")
    teacher.click("[data-testid=create-assignment]")
    teacher.wait_for_url(re.compile(r"/assignments/\d+/$"))
    ready(teacher)
    assignment_url = teacher.url

    students = []
    for name in ("amy", "ben"):
        ctx, page, errors = new_page(browser, classroom_server)
        page.goto(f"/join/{code}")
        page.wait_for_url(re.compile(r"/accounts/register/"))
        assert page.input_value("input[name=code]") == code
        page.fill("input[name=username]", name)
        page.fill("input[name=password]", STUDENT_PASSWORD)
        page.fill("input[name=password2]", STUDENT_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/classroom/$"))
        ready(page)
        page.click("[data-testid=joined] >> text=Separate the circle")
        page.wait_for_url(assignment_url)
        ready(page)
        # the preset's controls: dataset fixed, noise not there at all
        assert page.locator("[data-control=dataset] select").is_disabled()
        assert page.locator("[data-control=noise]").count() == 0
        page.fill("[data-control=learning_rate] input", "0.1" if name == "amy" else "0.03")
        page.click("[data-testid=train]")
        page.wait_for_selector("[data-testid=status][data-status=running], [data-testid=status][data-status=queued]")
        students.append((ctx, page, errors))

    # the teacher's live class view: both students' runs, their mini curves growing, on one class socket
    sockets = []
    teacher.on("websocket", lambda ws: sockets.append(ws.url))
    teacher.reload()
    ready(teacher)
    cards = {name: teacher.locator(f"[data-testid=card][data-student={name}]") for name in ("amy", "ben")}
    for card in cards.values():
        card.locator("[data-testid=mini-curve][data-points]").wait_for()
    teacher.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=card]')].filter(c => c.dataset.status === 'running').length === 2",
        timeout=60_000)
    before = {name: points(card) for name, card in cards.items()}
    teacher.wait_for_function(
        """(before) => Object.entries(before).every(([name, n]) => {
             const curve = document.querySelector(`[data-testid=card][data-student=${name}] [data-testid=mini-curve]`);
             return Number(curve.dataset.points) > n + 2;
           })""", arg=before, timeout=60_000)
    after = {name: points(card) for name, card in cards.items()}
    assert all(after[name] > before[name] for name in before), (before, after)
    assert "2 training" in teacher.inner_text("[data-testid=counts]")
    assert sockets and all("/ws/assignments/" in url for url in sockets), sockets
    shoot(teacher, "classroom-live-class-view")

    # a comment on amy's run, which amy will see under her runs
    cards["amy"].locator("button", has_text="Comment").click()
    teacher.fill("[data-testid=comment-text]", "Nice and fast: now try fewer units.")
    teacher.click("[data-testid=comment-send]")
    teacher.wait_for_function("() => !document.getElementById('comment-dialog').open")

    # spotlight one run; the projector follows it
    cards["amy"].locator("[data-testid=spotlight]").click()
    projector_ctx, projector, projector_errors = new_page(browser, classroom_server)
    projector.context.add_cookies(teacher_ctx.cookies())
    classroom_id = teacher.evaluate("() => JSON.parse(document.getElementById('classroom-id').textContent)")
    projector.goto(f"/classroom/{classroom_id}/projector")
    ready(projector)
    projector.wait_for_function("() => Number(document.querySelector('[data-testid=spotlight-curve]').dataset.points || 0) > 2")
    assert "amy" in projector.inner_text("[data-testid=spotlight-who]")
    shoot(projector, "classroom-projector")

    amy = students[0][1]
    shoot(amy, "classroom-student-lesson")
    for _, page, _ in students:
        page.click("[data-testid=stop]")
    for _, page, _ in students:
        page.wait_for_selector("[data-testid=status][data-status=cancelled]", timeout=30_000)
    amy.wait_for_selector("[data-testid=comment]")
    assert "now try fewer units" in amy.inner_text("[data-testid=my-runs]")
    shoot(amy, "classroom-student-comment")

    teacher.click(".cr-lang button[data-lang=zh-hans]")
    teacher.wait_for_function("() => document.documentElement.lang === 'zh-Hans'")
    assert "课堂实时视图" in teacher.inner_text("h1")
    shoot(teacher, "classroom-live-class-view-zh")

    for errors in [teacher_errors, projector_errors, *[e for _, _, e in students]]:
        assert not errors, errors
    for ctx in [teacher_ctx, projector_ctx, *[c for c, _, _ in students]]:
        ctx.close()


def test_the_admin_dashboard_shows_the_worker_and_sets_limits(browser, classroom_server):
    context, page, errors = new_page(browser, classroom_server)
    log_in(page, "root")
    page.goto("/admin-dashboard/")
    ready(page)
    page.wait_for_selector("[data-testid=worker]")
    assert "embedded@" in page.inner_text("[data-testid=workers]")
    assert "cpu" in page.inner_text("[data-testid=queues]")
    students = page.locator("[data-testid=limits] form[data-role=student]")
    students.locator("input[name=max_steps]").fill("20000")
    students.locator("button[type=submit]").click()
    page.wait_for_function("""() => fetch('/api/admin/limits').then(r => r.json())
                               .then(b => b.limits.student.max_steps === 20000)""")
    shoot(page, "classroom-admin-dashboard")
    page.click(".cr-lang button[data-lang=zh-hans]")
    page.wait_for_function("() => document.documentElement.lang === 'zh-Hans'")
    assert "在线工作进程" in page.inner_text("body")
    shoot(page, "classroom-admin-dashboard-zh")
    assert not errors, errors
    context.close()


def test_a_lesson_from_the_library_opens_with_only_the_controls_that_apply(browser, classroom_server):
    """An image-set lesson (digits16, input → flatten → dense …): no feature or hidden-layer fields (the
    network is not a plain chain of dense layers); a locked control shows fixed; training runs."""
    ctx, teacher, errors = new_page(browser, classroom_server)
    log_in(teacher, "tina")
    token = next(c["value"] for c in ctx.cookies() if c["name"] == "csrftoken")
    headers = {"X-CSRFToken": token, "Referer": classroom_server + "/"}
    presets = teacher.request.get("/api/presets").json()["presets"]
    lesson = next(p for p in presets if p["name"] == "lesson: digits_mlp")
    lesson["spec"]["training"]["epochs"] = 2
    classroom = teacher.request.post("/api/classrooms", data={"name": "Digits"}, headers=headers).json()
    assignment = teacher.request.post(f"/api/classrooms/{classroom['id']}/assignments", headers=headers,
                                      data={"title": "Digits", "preset": lesson["spec"], "locked": ["epochs"]}).json()
    student_ctx, student, student_errors = new_page(browser, classroom_server)
    student.goto(f"/join/{classroom['join_code']}")
    student.fill("input[name=username]", "cleo")
    student.fill("input[name=password]", STUDENT_PASSWORD)
    student.fill("input[name=password2]", STUDENT_PASSWORD)
    student.click("button[type=submit]")
    ready(student)
    student.goto(assignment["url"])
    ready(student)
    shown = student.eval_on_selector_all("[data-control]", "els => els.map(e => e.dataset.control)")
    assert "features" not in shown and "layers" not in shown and "activation" not in shown
    assert {"noise", "learning_rate", "epochs"} <= set(shown)
    assert student.locator("[data-control=epochs] input").is_disabled()
    student.click("[data-testid=train]")
    student.wait_for_selector("[data-testid=status][data-status=succeeded]", timeout=120_000)
    shoot(student, "classroom-lesson-digits")
    assert not errors and not student_errors, (errors, student_errors)
    ctx.close()
    student_ctx.close()
