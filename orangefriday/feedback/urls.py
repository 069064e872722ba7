from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("builds/<int:pk>/feedback/", views.results, name="results"),
    path("builds/<int:pk>/feedback/report/", views.report, name="report"),
    path("builds/<int:pk>/feedback/rating/", views.rating, name="rating"),
]
