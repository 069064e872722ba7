from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("p/<slug:slug>/plan/", views.plan, name="plan"),
    path("p/<slug:slug>/plan/claim/", views.claim, name="claim"),
    path("p/<slug:slug>/teams/", views.teams, name="teams"),
    path("p/<slug:slug>/teams/<slug:team_slug>/", views.team, name="team"),
    path("claims/<id:pk>/release/", views.release, name="release"),
    path("posts/<id:pk>/ship/", views.ship, name="ship"),
]
