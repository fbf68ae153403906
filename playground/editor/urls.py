from django.urls import path

from . import exports, library, views

urlpatterns = [
    path("editor", views.editor, name="editor"),
    path("api/library", library.library),
    path("api/library/<int:network_id>", library.library_item),
    path("api/runs/<uuid:run_id>/export/pytorch", exports.export_pytorch),
    path("api/runs/<uuid:run_id>/export/onnx", exports.export_onnx),
]
