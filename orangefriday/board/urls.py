from django.urls import path

from . import views

app_name = "board"

urlpatterns = [
    path("p/<slug:slug>/", views.board_page, name="board"),
    path("search/", views.search, name="search"),
    path("p/<slug:slug>/new/", views.new_post, name="new_post"),
    path("p/<slug:slug>/similar/", views.similar, name="similar"),
    path("posts/<id:pk>/", views.post_detail, name="post"),
    path("posts/<id:pk>/log/", views.post_log, name="log"),
    path("posts/<id:pk>/comments/", views.comment, name="comment"),
    path("posts/<id:pk>/status/", views.status, name="status"),
    path("posts/<id:pk>/follow/", views.follow, name="follow"),
    path("p/<slug:slug>/roadmap/", views.roadmap_page, name="roadmap"),
]
