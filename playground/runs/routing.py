from django.urls import path

from playground.classroom.consumers import ClassConsumer

from .consumers import RunConsumer

websocket_urlpatterns = [
    path("ws/runs/<str:run_id>/", RunConsumer.as_asgi()),
    path("ws/assignments/<int:assignment_id>/", ClassConsumer.as_asgi()),  # the teacher's live class view
]
