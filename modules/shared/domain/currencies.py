"""ISO 4217 currency exponents (minor units): a table this product owns.

An amount is stored as an integer of minor units next to its currency code, so a
currency's exponent is part of the meaning of every stored row: 1234 HUF is 12.34
forint at exponent 2 and 1234 forint at exponent 0. That meaning must not move when a
library is upgraded (CLDR via Babel 2.19 gives HUF, COP and IDR 0 digits), so the
exponents live here and change only by a deliberate release with a data migration
(decision 0007). Babel is for display only: names, symbols, locale patterns.

Pure Python, no Django and no Babel, like the rest of the domain layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

# ISO 4217 List One, "Current currency & funds code list", as published by SIX (the
# maintenance agency) on this date, which includes Amendment 180 (BGN withdrawn when
# Bulgaria adopted the euro on 2026-01-01). Update the date with the table.
LIST_ONE_PUBLISHED: Final = "2026-01-01"
LIST_ONE_AMENDMENT: Final = 180

# Every List One code that has a minor unit, with that minor unit (`CcyMnrUnts`).
# Funds codes (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW) are in List One too.
# Changing a value here changes what stored integers mean: see decision 0007 first.
ISO_4217_MINOR_UNITS: Final[Mapping[str, int]] = MappingProxyType(
    {
        "AED": 2, "AFN": 2, "ALL": 2, "AMD": 2, "AOA": 2, "ARS": 2, "AUD": 2, "AWG": 2,
        "AZN": 2, "BAM": 2, "BBD": 2, "BDT": 2, "BHD": 3, "BIF": 0, "BMD": 2, "BND": 2,
        "BOB": 2, "BOV": 2, "BRL": 2, "BSD": 2, "BTN": 2, "BWP": 2, "BYN": 2, "BZD": 2,
        "CAD": 2, "CDF": 2, "CHE": 2, "CHF": 2, "CHW": 2, "CLF": 4, "CLP": 0, "CNY": 2,
        "COP": 2, "COU": 2, "CRC": 2, "CUP": 2, "CVE": 2, "CZK": 2, "DJF": 0, "DKK": 2,
        "DOP": 2, "DZD": 2, "EGP": 2, "ERN": 2, "ETB": 2, "EUR": 2, "FJD": 2, "FKP": 2,
        "GBP": 2, "GEL": 2, "GHS": 2, "GIP": 2, "GMD": 2, "GNF": 0, "GTQ": 2, "GYD": 2,
        "HKD": 2, "HNL": 2, "HTG": 2, "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2, "IQD": 3,
        "IRR": 2, "ISK": 0, "JMD": 2, "JOD": 3, "JPY": 0, "KES": 2, "KGS": 2, "KHR": 2,
        "KMF": 0, "KPW": 2, "KRW": 0, "KWD": 3, "KYD": 2, "KZT": 2, "LAK": 2, "LBP": 2,
        "LKR": 2, "LRD": 2, "LSL": 2, "LYD": 3, "MAD": 2, "MDL": 2, "MGA": 2, "MKD": 2,
        "MMK": 2, "MNT": 2, "MOP": 2, "MRU": 2, "MUR": 2, "MVR": 2, "MWK": 2, "MXN": 2,
        "MXV": 2, "MYR": 2, "MZN": 2, "NAD": 2, "NGN": 2, "NIO": 2, "NOK": 2, "NPR": 2,
        "NZD": 2, "OMR": 3, "PAB": 2, "PEN": 2, "PGK": 2, "PHP": 2, "PKR": 2, "PLN": 2,
        "PYG": 0, "QAR": 2, "RON": 2, "RSD": 2, "RUB": 2, "RWF": 0, "SAR": 2, "SBD": 2,
        "SCR": 2, "SDG": 2, "SEK": 2, "SGD": 2, "SHP": 2, "SLE": 2, "SOS": 2, "SRD": 2,
        "SSP": 2, "STN": 2, "SVC": 2, "SYP": 2, "SZL": 2, "THB": 2, "TJS": 2, "TMT": 2,
        "TND": 3, "TOP": 2, "TRY": 2, "TTD": 2, "TWD": 2, "TZS": 2, "UAH": 2, "UGX": 0,
        "USD": 2, "USN": 2, "UYI": 0, "UYU": 2, "UYW": 4, "UZS": 2, "VED": 2, "VES": 2,
        "VND": 0, "VUV": 0, "WST": 2, "XAD": 2, "XAF": 0, "XCD": 2, "XCG": 2, "XOF": 0,
        "XPF": 0, "YER": 2, "ZAR": 2, "ZMW": 2, "ZWG": 2,
    }
)  # fmt: skip

# List One codes whose minor unit is "N.A.": precious metals, bond-market units, the
# SDR, SUCRE, the ADB unit of account, the test code and "no currency". They are not
# money that can be held here and Money refuses them.
ISO_4217_NO_MINOR_UNIT: Final = frozenset(
    {
        "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD",
        "XPT", "XSU", "XTS", "XUA", "XXX",
    }
)  # fmt: skip

# Retired units without a minor unit (ECU, gold franc, UIC franc, RINET funds code),
# refused like the codes above.
RETIRED_NO_MINOR_UNIT: Final = frozenset({"XEU", "XFO", "XFU", "XRE"})

NO_MINOR_UNIT: Final = ISO_4217_NO_MINOR_UNIT | RETIRED_NO_MINOR_UNIT

# Codes that are not (or no longer) in List One but that Money accepted while it read
# CLDR's list through Babel 2.18: withdrawn ISO codes (List Three, e.g. ANG, BGN, CUC,
# HRK, SLL, ZWL) and CLDR-only codes (e.g. CNH). Rows may exist in them, so they stay
# accepted, each pinned at the exponent its stored integers were written with: CLDR's
# value, which for a few differs from what ISO listed while the code was current (SLL,
# MRO, STD, ZMK and ZWD were 2 in List One; here they are 0, as stored).
LEGACY_MINOR_UNITS: Final[Mapping[str, int]] = MappingProxyType(
    {
        "ADP": 0, "AFA": 2, "ALK": 2, "ANG": 2, "AOK": 2, "AON": 2, "AOR": 2, "ARA": 2,
        "ARL": 2, "ARM": 2, "ARP": 2, "ATS": 2, "AZM": 2, "BAD": 2, "BAN": 2, "BEC": 2,
        "BEF": 2, "BEL": 2, "BGL": 2, "BGM": 2, "BGN": 2, "BGO": 2, "BOL": 2, "BOP": 2,
        "BRB": 2, "BRC": 2, "BRE": 2, "BRN": 2, "BRR": 2, "BRZ": 2, "BUK": 2, "BYB": 2,
        "BYR": 0, "CLE": 2, "CNH": 2, "CNX": 2, "CSD": 2, "CSK": 2, "CUC": 2, "CYP": 2,
        "DDM": 2, "DEM": 2, "ECS": 2, "ECV": 2, "EEK": 2, "ESA": 2, "ESB": 2, "ESP": 0,
        "FIM": 2, "FRF": 2, "GEK": 2, "GHC": 2, "GNS": 2, "GQE": 2, "GRD": 2, "GWE": 2,
        "GWP": 2, "HRD": 2, "HRK": 2, "IEP": 2, "ILP": 2, "ILR": 2, "ISJ": 2, "ITL": 0,
        "KRH": 2, "KRO": 2, "LTL": 2, "LTT": 2, "LUC": 2, "LUF": 0, "LUL": 2, "LVL": 2,
        "LVR": 2, "MAF": 2, "MCF": 2, "MDC": 2, "MGF": 0, "MKN": 2, "MLF": 2, "MRO": 0,
        "MTL": 2, "MTP": 2, "MVP": 2, "MXP": 2, "MZE": 2, "MZM": 2, "NIC": 2, "NLG": 2,
        "PEI": 2, "PES": 2, "PLZ": 2, "PTE": 2, "RHD": 2, "ROL": 2, "RUR": 2, "SDD": 2,
        "SDP": 2, "SIT": 2, "SKK": 2, "SLL": 0, "SRG": 2, "STD": 0, "SUR": 2, "TJR": 2,
        "TMM": 0, "TPE": 2, "TRL": 0, "UAK": 2, "UGS": 2, "USS": 2, "UYP": 2, "VEB": 2,
        "VEF": 2, "VNN": 2, "YDD": 2, "YUD": 2, "YUM": 2, "YUN": 2, "YUR": 2, "ZAL": 2,
        "ZMK": 0, "ZRN": 2, "ZRZ": 2, "ZWD": 0, "ZWL": 2, "ZWR": 2,
    }
)  # fmt: skip

# Every code Money accepts, with its exponent.
MINOR_UNITS: Final[Mapping[str, int]] = MappingProxyType(
    {**LEGACY_MINOR_UNITS, **ISO_4217_MINOR_UNITS}
)
