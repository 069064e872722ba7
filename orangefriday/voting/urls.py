from django.urls import path

from . import views

app_name = "voting"

urlpatterns = [
    path("posts/<id:pk>/vote/", views.vote, name="vote"),
    path("posts/<id:pk>/merge/", views.merge, name="merge"),
]
