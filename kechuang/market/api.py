"""REST endpoints of the registries: list (same filters as the pages), detail, create, change and
workflow transitions, all generated from the registry declarations (:mod:`kechuang.market.registries`,
:func:`kechuang.common.api_crud.register_crud`). Restricted fields (a demand's contact details, an
expert's personal data) come back as null to users who may not see them."""

from ninja import Router

from kechuang.common.api_crud import register_crud
from kechuang.market.registries import REGISTRIES

router = Router(tags=["技术市场"])

for _registry in REGISTRIES.values():
    register_crud(router, _registry)
