from django.contrib.auth import views as django_auth
from django.urls import path
from django.views.generic import RedirectView

from . import admin_api, api, auth_views, views

urlpatterns = [
    # accounts
    path("accounts/login/", auth_views.login_view, name="login"),
    path("accounts/logout/", auth_views.logout_view, name="logout"),
    path("accounts/register/", auth_views.register_view, name="register"),
    path("join/<str:code>", auth_views.join_view, name="join"),
    path("accounts/password/", django_auth.PasswordChangeView.as_view(
        template_name="classroom/password.html", success_url="/classroom/"), name="password-change"),
    # Django's admin logs in through the rate-limited form too
    path("admin/login/", RedirectView.as_view(url="/accounts/login/", query_string=True)),
    # pages
    path("classroom/", views.home, name="classroom-home"),
    path("classroom/<int:classroom_id>/", views.classroom_page, name="classroom"),
    path("classroom/<int:classroom_id>/credentials", views.credentials_page),
    path("classroom/<int:classroom_id>/credentials.csv", views.credentials_csv),
    path("classroom/<int:classroom_id>/projector", views.projector, name="projector"),
    path("assignments/<int:assignment_id>/", views.assignment_page, name="assignment"),
    path("admin-dashboard/", views.admin_dashboard, name="admin-dashboard"),
    # JSON API (docs/classroom.md)
    path("api/classrooms", api.classrooms),
    path("api/classrooms/join", api.join),
    path("api/classrooms/<int:classroom_id>", api.classroom_detail),
    path("api/classrooms/<int:classroom_id>/students", api.create_students),
    path("api/classrooms/<int:classroom_id>/students/<int:user_id>/reset", api.reset_password),
    path("api/classrooms/<int:classroom_id>/students/<int:user_id>/remove", api.remove_student),
    path("api/classrooms/<int:classroom_id>/limits", api.classroom_limits),
    path("api/classrooms/<int:classroom_id>/assignments", api.create_assignment),
    path("api/classrooms/<int:classroom_id>/gallery", api.gallery),
    path("api/presets", api.presets),
    path("api/classrooms/<int:classroom_id>/spotlight", api.spotlight),
    path("api/assignments/<int:assignment_id>", api.assignment_detail),
    path("api/assignments/<int:assignment_id>/mine", api.my_runs),
    path("api/assignments/<int:assignment_id>/class", api.class_view),
    path("api/assignments/<int:assignment_id>/leaderboard", api.leaderboard),
    path("api/assignments/<int:assignment_id>/results.csv", api.results_csv),
    path("api/curves", api.curves),
    path("api/runs/<uuid:run_id>/share", api.share),
    path("api/runs/<uuid:run_id>/comments", api.comments),
    path("api/admin/overview", admin_api.overview),
    path("api/admin/limits", admin_api.limits),
    path("api/admin/runs/<uuid:run_id>/cancel", admin_api.cancel_run),
    path("api/admin/runs/<uuid:run_id>/requeue", admin_api.requeue_run),
]
