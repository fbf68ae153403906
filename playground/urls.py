from django.contrib import admin
from django.urls import include, path

from playground.runs import api
from playground.web import views

urlpatterns = [
    path("", views.playground, name="playground"),
    path("runs/<uuid:run_id>", views.playground, name="run-page"),
    path("healthz", views.healthz, name="healthz"),
    path("api/blocks", api.blocks),
    path("api/datasets", api.datasets),
    path("api/datasets/preview", api.dataset_preview),
    path("api/validate", api.validate),
    path("api/runs", api.runs),
    path("api/runs/<uuid:run_id>", api.run_detail),
    path("api/runs/<uuid:run_id>/cancel", api.run_cancel),
    path("", include("playground.dashboard.urls")),
    path("", include("playground.classroom.urls")),  # classroom, accounts, admin dashboard
    path("", include("playground.editor.urls")),  # the graph editor, its library and the exports
    path("admin/", admin.site.urls),
]
