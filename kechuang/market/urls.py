from django.urls import path

from kechuang.market import views
from kechuang.market.registries import REGISTRIES

app_name = "market"

urlpatterns = []
for registry in REGISTRIES.values():
    # Before the registry's own patterns: its transition pattern takes any name after the record.
    urlpatterns.append(path(f"{registry.key}/<int:pk>/adopt-field/", views.adopt_field, {"registry": registry.key},
                            name=f"{registry.name}-adopt-field"))
    urlpatterns += registry.urls()
