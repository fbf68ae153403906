from django.urls import path

from .consumers import ClassConsumer

websocket_urlpatterns = [
    path("ws/assignments/<int:assignment_id>/", ClassConsumer.as_asgi()),  # the teacher's live class view
]
