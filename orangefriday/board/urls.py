from django.urls import path

from . import views

app_name = "board"

urlpatterns = [
    path("p/<slug:slug>/", views.board_page, name="board"),
    path("search/", views.search, name="search"),
    path("p/<slug:slug>/new/", views.new_post, name="new_post"),
    path("p/<slug:slug>/similar/", views.similar, name="similar"),
    path("preview/", views.preview, name="preview"),
    path("posts/<id:pk>/", views.post_detail, name="post"),
    path("posts/<id:pk>/log/", views.post_log, name="log"),
    path("posts/<id:pk>/images/<id:image_pk>/", views.post_image, name="image"),
    path(
        "posts/<id:pk>/images/<id:image_pk>/remove/",
        views.remove_image_page,
        name="remove_image",
    ),
    path("posts/<id:pk>/comments/", views.comment, name="comment"),
    path("posts/<id:pk>/status/", views.status, name="status"),
    path("posts/<id:pk>/follow/", views.follow, name="follow"),
    path("p/<slug:slug>/roadmap/", views.roadmap_page, name="roadmap"),
    path("posts/<id:pk>/edit/", views.edit_post_page, name="edit_post"),
    path("posts/<id:pk>/delete/", views.delete_post_page, name="delete_post"),
    path("posts/<id:pk>/history/", views.post_history, name="post_history"),
    path("comments/<id:pk>/edit/", views.edit_comment_page, name="edit_comment"),
    path("comments/<id:pk>/delete/", views.delete_comment_page, name="delete_comment"),
    path("comments/<id:pk>/history/", views.comment_history, name="comment_history"),
]
