"""The project's URLs and, for the benchmark's server only, /bench/minimal: a view that
answers a constant JSON, measured through the same server and middleware as the API (what
no API call can beat)."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from orangefriday import urls as project


def minimal(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/minimal", minimal), *project.urlpatterns]

handler400, handler403 = project.handler400, project.handler403
handler404, handler500 = project.handler404, project.handler500
