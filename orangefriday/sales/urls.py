from django.urls import path

from . import views

app_name = "sales"

urlpatterns = [
    path("launches/", views.launches, name="launches"),
    path("launches/<slug:slug>/", views.launch, name="launch"),
    path("launches/<slug:slug>/reserve/", views.reserve, name="reserve"),
    path("rounds/<id:pk>/", views.sale_round, name="round"),
    path("rounds/<id:pk>/buy/", views.buy, name="buy"),
    path("rounds/<id:pk>/results/", views.results, name="results"),
    path("orders/", views.orders, name="orders"),
    path("orders/<id:pk>/", views.order, name="order"),
    path("orders/<id:pk>/pay/", views.pay, name="pay"),
    path("orders/<id:pk>/cancel/", views.cancel, name="cancel"),
    path("addresses/new/", views.new_address, name="new_address"),
    path("fcodes/", views.fcodes, name="fcodes"),
    path("fcodes/<id:pk>/gift/", views.gift, name="gift"),
    path("r/<str:username>/", views.referral, name="referral"),
    # The built-in offline payment provider's page, and the webhook it confirms to.
    path("sales/pay/test/<id:pk>/", views.test_payment, name="test_payment"),
    path("sales/webhooks/test/", views.test_webhook, name="test_webhook"),
]
