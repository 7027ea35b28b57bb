"""The statistics bureau's urban-rural classification of a village (城乡分类代码), so that a page
shows 村庄 where the table holds 220."""

from zhucun.core import naming
from zhucun.registry.catalogues import _cat

URBAN_RURAL = _cat(
    "urban_rural",
    ("111", "主城区", "main urban area"),
    ("112", "城乡结合区", "urban-rural fringe"),
    ("121", "镇中心区", "town centre"),
    ("122", "镇乡结合区", "town-rural fringe"),
    ("123", "特殊区域", "special area"),
    ("210", "乡中心区", "township centre"),
    ("220", "村庄", "village"),
)
# Pages name the code through core.naming (``d.urban_rural_code|label("urban_rural")``).
naming.CATALOGUES[URBAN_RURAL.name] = URBAN_RURAL
