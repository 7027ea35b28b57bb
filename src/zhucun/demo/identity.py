"""Personal numbers for generated people: resident ID numbers (GB 11643), mobile phones
and bank accounts, made for a whole county at once with numpy.

An ID number is the region (the county's GB/T 2260 code), the birth date, a three-digit
sequence whose last digit is odd for men and even for women, and the ISO 7064 MOD 11-2
check character. Sequences are dealt out per region, birth date and sex, so numbers never
repeat: at most 500 people share a region, a birthday and a sex.
"""

from __future__ import annotations

import numpy as np

from zhucun.core.idnumbers import CHECK_CHARS, WEIGHTS

SEQUENCES = 500  # per region, birth date and sex
_WEIGHTS = np.array(WEIGHTS, dtype=np.int64)
_CHECK = np.frombuffer(CHECK_CHARS.encode(), dtype=np.uint8)
MOBILE_PREFIXES = np.array(
    [
        130,
        131,
        132,
        133,
        135,
        136,
        137,
        138,
        139,
        150,
        151,
        152,
        155,
        157,
        158,
        159,
        177,
        180,
        181,
        182,
        183,
        185,
        186,
        187,
        188,
        189,
        191,
        198,
        199,
    ]
)


def id_numbers(rng: np.random.Generator, region: np.ndarray, birth: np.ndarray, male: np.ndarray) -> list[str]:
    """Valid, distinct 18-character numbers; ``region`` holds 6-digit ints, ``birth``
    datetime64[D] dates."""
    n = len(birth)
    if n == 0:
        return []
    days = birth.astype("datetime64[D]").astype(np.int64)
    key = (region.astype(np.int64) * 100_000 + days + 40_000) * 2 + male
    order = np.lexsort((rng.random(n), key))
    sorted_key = key[order]
    first = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
    starts = np.flatnonzero(first)
    group = np.cumsum(first) - 1
    rank = np.arange(n) - starts[group]
    if n and rank.max() >= SEQUENCES:
        raise ValueError("more than 500 people share a region, a birth date and a sex")
    offset = rng.integers(0, SEQUENCES, len(starts))
    sequence = np.empty(n, dtype=np.int64)
    sequence[order] = (offset[group] + rank) % SEQUENCES * 2 + male[order]
    return _assemble(region, birth, sequence)


def _assemble(region: np.ndarray, birth: np.ndarray, sequence: np.ndarray) -> list[str]:
    body = (region.astype(np.int64) * 100_000_000 + _ymd(birth)) * 1000 + sequence
    # Through text: numpy's 64-bit integer division is five times slower than this.
    digits = np.frombuffer(body.astype("S17").tobytes(), dtype=np.uint8).reshape(len(body), 17).astype(np.int64) - 48
    check = _CHECK[(digits * _WEIGHTS).sum(axis=1) % 11]
    whole = np.concatenate([(digits + 48).astype(np.uint8), check[:, None]], axis=1)
    return [number.decode() for number in whole.view("S18").ravel().tolist()]


def masks(numbers: list[str]) -> list[str]:
    """``idnumbers.mask`` of valid 18-character numbers, for a whole county at once."""
    if not numbers:
        return []
    chars = np.frombuffer("".join(numbers).encode("ascii"), dtype=np.uint8).reshape(len(numbers), 18).copy()
    chars[:, 6:14] = ord("*")
    return [number.decode() for number in chars.view("S18").ravel().tolist()]


def _ymd(birth: np.ndarray) -> np.ndarray:
    days = birth.astype("datetime64[D]")
    years = days.astype("datetime64[Y]")
    months = days.astype("datetime64[M]")
    year = years.astype(np.int64) + 1970
    month = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year * 10_000 + month * 100 + day


def phones(rng: np.random.Generator, count: int) -> list[str]:
    """Mobile numbers: an operator prefix and eight digits."""
    prefix = MOBILE_PREFIXES[rng.integers(0, len(MOBILE_PREFIXES), count)]
    return (prefix * 100_000_000 + rng.integers(0, 100_000_000, count)).astype(str).tolist()


def bank_accounts(rng: np.random.Generator, count: int) -> list[str]:
    """19-digit debit card numbers of the rural credit cooperatives (惠民惠农一卡通)."""
    tail = rng.integers(0, 10**13, count)
    return np.char.add("621779", np.char.zfill(tail.astype(str), 13)).tolist()
