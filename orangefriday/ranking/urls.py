from django.urls import path

from . import views

app_name = "ranking"

urlpatterns = [
    path("about/ranking/", views.about, name="about"),
]
