from django.urls import path

from . import views

urlpatterns = [
    path("runs/<uuid:run_id>/dashboard", views.run_dashboard, name="run-dashboard"),
    path("compare", views.compare, name="compare"),
]
