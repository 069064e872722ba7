from django.urls import path

from . import views

app_name = "voting"

urlpatterns = [
    path("posts/<int:pk>/vote/", views.vote, name="vote"),
    path("posts/<int:pk>/merge/", views.merge, name="merge"),
]
