"""The demo marker and the reference city's demo cast, shared by every app's demo loader.

Every demo name ends with :data:`DEMO_SUFFIX` 「（演示）」 and every demo record's ``source`` is
:data:`DEMO_SOURCE` 「演示数据」, so demo data can never be taken for real records. The loaders themselves
live in each app (``<app>/demo.py``); the top-level composer ``kechuang/demo.py`` runs them in order.
"""

from __future__ import annotations

DEMO_SOURCE = "演示数据"
DEMO_SUFFIX = "（演示）"
DEMO_PASSWORD = "kechuang-demo"
SEED = 511700

# Leading industries of the reference city: (name part, industry codes of GB/T 4754-2017, products).
INDUSTRIES: list[tuple[str, list[str], str]] = [
    ("天然气化工", ["C2614", "C2619", "C2621", "B0721"], "天然气制甲醇、合成氨、精细化学品"),
    ("锂钾科技", ["C2613", "C3841", "B1019"], "卤水提锂、钾盐、锂电池正极材料"),
    ("玄武岩纤维", ["C3061", "C3062"], "连续玄武岩纤维、纤维复合材料"),
    ("微玻纤新材料", ["C3061", "C3089"], "微玻璃纤维棉、电池隔板、过滤材料"),
    ("新能源材料", ["C3841", "C3985", "C2662"], "储能材料、光伏辅材、电解液"),
    ("碳材料", ["C3091", "C2662"], "石墨制品、碳纤维、活性炭"),
    ("智能科技", ["I6513", "I6531", "I6550"], "工业软件、机器视觉、数据服务"),
    ("富硒茶业", ["C1530", "A0164"], "富硒绿茶、红茶、茶饮料"),
    ("农产品加工", ["C1371", "C1391", "C1351"], "特色果蔬、苎麻、肉制品加工"),
    ("智能装备", ["C3491", "C3599", "C3444"], "专用设备、智能控制系统"),
]
# Universities, institutes and hospitals of the demo: (name, organisation kind — the value of
# ``core.choices.OrganisationKind`` —, region: division code or park name, address).
INSTITUTIONS: list[tuple[str, str, str, str]] = [
    ("川东示范学院", "university", "511702", "通川区西外镇学院路"),
    ("达州应用技术职业学院", "university", "511703", "达川区三里坪"),
    ("达州天然气化工研究院", "research_institute", "511722", "宣汉县普光镇"),
    ("巴山玄武岩纤维研究院", "research_institute", "达州高新区", "达州高新区斌郎街道"),
    ("达州市农业科学研究院", "research_institute", "511702", "通川区西外镇"),
    ("达州智能产业技术研究院", "research_institute", "达州高新区", "达州高新区数字经济产业园"),
    ("川东北医学研究中心", "hospital", "511702", "通川区南外镇"),
    ("万州三峡应用技术大学", "university", "500101", "重庆市万州区天星路"),
    ("三峡库区生态农业研究所", "research_institute", "500101", "重庆市万州区高笋塘"),
    ("开州先进材料研究院", "research_institute", "500154", "重庆市开州区汉丰街道"),
]
