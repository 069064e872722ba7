from django.urls import path

from . import views

app_name = "board"

urlpatterns = [
    path("p/<slug:slug>/", views.board_page, name="board"),
    path("search/", views.search, name="search"),
    path("p/<slug:slug>/new/", views.new_post, name="new_post"),
    path("p/<slug:slug>/similar/", views.similar, name="similar"),
    path("posts/<int:pk>/", views.post_detail, name="post"),
    path("posts/<int:pk>/log/", views.post_log, name="log"),
    path("posts/<int:pk>/comments/", views.comment, name="comment"),
    path("posts/<int:pk>/status/", views.status, name="status"),
    path("posts/<int:pk>/follow/", views.follow, name="follow"),
    path("p/<slug:slug>/roadmap/", views.roadmap_page, name="roadmap"),
]
