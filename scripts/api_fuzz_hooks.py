"""Schemathesis hooks for scripts/api-fuzz: the custom string formats of Vangnet's OpenAPI document.

`format: insz` is a Belgian national number whose mod-97 check digits match; no regular
expression says that, so without a generator of its own schemathesis would send numbers that fail
the check, and the server's 400 would count as a valid request refused. The numbers made here are
MAGDA test numbers (month 60-72, born in the 1900s), which the demo accepts and no real person has.
"""

import schemathesis
from hypothesis import strategies as st


@st.composite
def insz(draw):
    year = draw(st.integers(min_value=0, max_value=99))
    month = draw(st.integers(min_value=1, max_value=12))
    day = draw(st.integers(min_value=1, max_value=28))
    serial = draw(st.integers(min_value=1, max_value=997))
    base = year * 10_000_000 + (60 + month) * 100_000 + day * 1_000 + serial
    digits = f"{base:09d}{97 - base % 97:02d}"
    if draw(st.booleans()):
        return f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}-{digits[6:9]}.{digits[9:11]}"
    return digits


schemathesis.openapi.format("insz", insz())
