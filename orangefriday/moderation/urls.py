from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("posts/<id:pk>/flag/", views.flag_post, name="flag_post"),
    path("comments/<id:pk>/flag/", views.flag_comment, name="flag_comment"),
    path("posts/<id:pk>/restore/", views.restore, name="restore"),
    path("posts/<id:pk>/feature/", views.feature, name="feature"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/reviews/<id:pk>/", views.decide, name="decide"),
    path("moderation/log/", views.log_page, name="log"),
    path("fans/<str:username>/sanction/", views.sanction, name="sanction"),
    path("trust/", views.trust_page, name="trust"),
]
