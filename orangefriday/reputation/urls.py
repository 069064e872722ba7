from django.urls import path

from . import testers_views, views

app_name = "reputation"

urlpatterns = [
    path("about/points/", views.points_rules, name="points"),
    path("p/<slug:slug>/leaderboard/", views.leaderboard_page, name="leaderboard"),
    path("p/<slug:slug>/about/", views.about, name="about"),
    path("p/<slug:slug>/testers/", testers_views.programme_page, name="programme"),
    path("p/<slug:slug>/testers/quiz/", testers_views.quiz, name="quiz"),
    path("p/<slug:slug>/testers/edit/", testers_views.edit_programme, name="edit_programme"),
    path("p/<slug:slug>/testers/standing/", testers_views.standing_page, name="standing"),
    path("p/<slug:slug>/testers/leave/", testers_views.leave, name="leave"),
]
