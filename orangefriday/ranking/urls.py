from django.urls import path

from . import views

app_name = "ranking"

urlpatterns = [
    path("p/<slug:slug>/", views.board, name="board"),
    path("search/", views.search, name="search"),
    path("about/ranking/", views.about, name="about"),
]
