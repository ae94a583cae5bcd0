from django.urls import path

from kechuang.pairing import views

app_name = "pairing"

urlpatterns = [
    path("pairing/", views.campaign_list, name="campaign-list"),
    path("pairing/new/", views.campaign_create, name="campaign-create"),
    path("pairing/mine/", views.my_pairings, name="mine"),
    path("pairing/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("pairing/<int:pk>/compute/", views.campaign_compute, name="campaign-compute"),
    path("pairing/<int:pk>/publish/", views.campaign_publish, name="campaign-publish"),
    path("pairing/<int:pk>/participants/<str:kind>/", views.campaign_participants, name="participants"),
    path("pairing/<int:pk>/withdraw/", views.campaign_withdraw, name="campaign-withdraw"),
    path("pairing/pairings/<int:pk>/", views.pairing_detail, name="pairing-detail"),
    path("pairing/pairings/<int:pk>/swap/", views.pairing_swap, name="pairing-swap"),
    path("pairing/pairings/<int:pk>/respond/", views.pairing_respond, name="pairing-respond"),
    path("pairing/pairings/<int:pk>/visits/", views.visit_create, name="visit-create"),
]
