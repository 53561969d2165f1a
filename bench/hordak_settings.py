"""Settings for the django-hordak side of the ledger benchmark, never for the product.

The project's settings plus hordak's apps (its README: `mptt` and `hordak`; `djmoney`
for its money fields) and bench/hordak_urls.py in front of the product's URLs, so
hordak runs with the same middleware, authentication, database options and PostgreSQL
server as our ledger, in its own database.
"""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "mptt", "djmoney", "hordak"]
ROOT_URLCONF = "bench.hordak_urls"

DEFAULT_CURRENCY = "USD"
CURRENCIES = ("USD", "EUR")
HORDAK_INTERNAL_CURRENCY = "USD"
HORDAK_CURRENCIES = ["USD", "EUR"]
HORDAK_DECIMAL_PLACES = 2
HORDAK_MAX_DIGITS = 13
