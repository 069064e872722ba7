from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("builds/<id:pk>/feedback/", views.results, name="results"),
    path("builds/<id:pk>/feedback/report/", views.report, name="report"),
    path("builds/<id:pk>/feedback/rating/", views.rating, name="rating"),
    path("solved/<str:token>/", views.solved, name="solved"),
]
