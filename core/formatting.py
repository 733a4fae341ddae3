"""How the pages write numbers: in a sentence, as plain text, and in TeX.

One module so that every page writes a number the same way: never −0, a likelihood from its log
(so that 1e-900 is not shown as the 0.0 a float gives), a count with its noun in agreement, and a
figure too large to print in full as its order of magnitude. Pure Python: the pages and ui/ call it,
and so does core/ where a result is said in words (core/questions.py, core/ascent.py).
"""
from __future__ import annotations

import math
from decimal import Decimal
from typing import NamedTuple

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
LARGEST_SHOWN = 1e6   # figures at least this large are said in words, not in 31 digits


# --- plain numbers -------------------------------------------------------------------------------
def num(value: float, spec: str = "g") -> str:
    """`value` formatted with `spec` (6 significant digits by default), never as −0: -0.00001 at
    ".4f" is "0.0000", not "-0.0000" (a sign the number it stands beside does not have)."""
    text = format(value, spec)
    zero = not any(c in "123456789" for c in text.split("e")[0])   # every digit shown is 0
    return text[1:] if text.startswith("-") and zero and math.isfinite(value) else text


def exact(value: float) -> str:
    """A number as a visitor would type it, every digit kept: 2147483647, not 2.14748e+09; 0.01;
    a whole float without its ".0" (1000000, not 1e+06) up to 10¹⁶, where floats stop being whole
    numbers to the unit; otherwise Python's shortest form that reads back as the same float."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def range_ends(lo: float, hi: float, digits: int = 4) -> tuple[str, str]:
    """The ends of [lo, hi] for a sentence: exact, except an end with a fraction of more than
    `digits` + 2 digits in all (a range computed from data), which is rounded inward to `digits`
    significant digits: 42.79311435829709 to 61.7968856417029 reads 42.8 to 61.79, and every number
    between the ends as written lies in the range."""
    def shown(x: float, up: bool) -> str:
        text = exact(x)
        if float(x).is_integer() or sum(c.isdigit() for c in text) <= digits + 2 or "e" in text:
            return text
        step = Decimal(1).scaleb(math.floor(math.log10(abs(x))) - digits + 1)
        return exact(float((Decimal(x) / step).to_integral_value("ROUND_CEILING" if up else "ROUND_FLOOR") * step))
    a, b = shown(lo, up=True), shown(hi, up=False)
    return (a, b) if float(a) <= float(b) else (exact(lo), exact(hi))   # too narrow to round


class Scale(NamedTuple):
    """A slider's range and step on round numbers (round_scale), and the printf format that shows
    its values to the step's last digit."""
    low: float
    high: float
    step: float
    format: str


def round_scale(lo: float, hi: float, steps: int = 200) -> Scale:
    """A slider inside [lo, hi] (a range computed from data) on round numbers. The step is 1, 2 or 5
    times a power of ten, the smallest such that is at least (hi - lo) / steps; the ends are lo and
    hi moved inward to multiples of it, so the slider never leaves a chart drawn over [lo, hi].
    Every value the slider then gives, and every link that carries one, reads as a person would
    type it (lf_mu=50.3, not lf_mu=50.29960401524239), and is shown to the step's last digit."""
    span = (hi - lo) / steps
    if not (math.isfinite(span) and span > 0 and steps >= 5):
        raise ValueError(f"round_scale needs finite lo < hi and at least 5 steps; got {lo!r}, {hi!r}, {steps!r}")
    power = math.floor(math.log10(span))
    step = next(s for p in (power - 1, power, power + 1) for m in (1, 2, 5) if float(s := Decimal(m).scaleb(p)) >= span)
    low = (Decimal(repr(float(lo))) / step).to_integral_value("ROUND_CEILING") * step
    high = (Decimal(repr(float(hi))) / step).to_integral_value("ROUND_FLOOR") * step
    last = step.as_tuple().exponent          # the step's last digit is 10**last
    if -6 <= last:   # 0.000295 as it is; fewer decimals for a step of 1, 10 or more
        shown = f"%.{max(0, -last)}f"
    else:            # in powers of ten, with digits down to the step's (a browser's limit is 100)
        shown = f"%.{min(100, max(0, math.floor(math.log10(max(abs(low), abs(high)))) - last))}e"
    return Scale(float(low) + 0.0, float(high) + 0.0, float(step), shown)   # + 0.0: never -0


def nonzero(value: float) -> str:
    """`value` to four decimals, or to two significant digits when four decimals would read 0.0000
    for a number that is not 0 (a negative NLL just below 0 stays visibly negative)."""
    return num(value, ".4f") if value == 0 or abs(value) >= 5e-5 else f"{value:.2g}"


def z_text(z: float) -> str:
    """A z-score with at most four decimals, trailing zeros dropped: 1, −0.9996, 2.5."""
    return num(float(f"{z:.4f}"))


def figure(x: float, digits: int = 4) -> str:
    """A number for the page: `digits` decimals, −0 shown as 0, ∞ as ∞, and a number too large to
    show in full as its order of magnitude in words ("about 10^31", with a superscript power)."""
    x = float(x)
    if math.isnan(x):
        return "not a number"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if abs(x) >= LARGEST_SHOWN:
        power = math.floor(math.log10(abs(x)) + 1e-12)
        return f"about {'−' if x < 0 else ''}10{superscript(power)}"
    return num(x, f".{digits}f")


def figure_tex(x: float) -> str:
    """figure(x) for TeX: ∞ as \\infty, a number too large to show in full as about 10^n."""
    text = figure(x)
    if text.startswith("about"):
        return rf"\text{{about }} 10^{{{math.floor(math.log10(abs(x)))}}}"
    return text.replace("∞", r"\infty")


def superscript(n: int) -> str:
    return str(n).translate(_SUPERSCRIPT)


def zeros_after_point(value: float) -> int:
    """How many zeros follow the decimal point before the first digit: 5 for 0.0000075."""
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"needs a positive number, got {value}")
    return max(0, -math.floor(math.log10(value)) - 1)


# --- counts --------------------------------------------------------------------------------------
def number_word(n: int) -> str:
    """A count as a reader says it in a sentence: "five", or "1,000" beyond ten."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def count(n: int, noun: str, plural: str | None = None, words: bool = False) -> str:
    """"1 step", "2 steps", "32,033 names"; the noun agrees with the number. words=True says small
    counts in words: "one measurement", "five measurements", "no measurements", "20 measurements"."""
    amount = ("no" if n == 0 else number_word(n)) if words else f"{n:,}"
    return f"{amount} {noun if n == 1 else plural or noun + 's'}"


# --- numbers from their logs ---------------------------------------------------------------------
def power_of_ten(log_value: float, digits: int = 4) -> tuple[float, int]:
    """(m, e) with m × 10^e = exp(log_value) and m rounded to `digits` decimals in [1, 10): a
    likelihood shown from its log, so that 1e-900 reads as 1e-900, not as the 0.0 a float gives."""
    if log_value == -math.inf:
        return 0.0, 0
    if not math.isfinite(log_value):
        raise ValueError(f"no power of ten for exp({log_value})")
    log10 = log_value / math.log(10)
    exponent = math.floor(log10)
    mantissa = round(10 ** (log10 - exponent), digits)
    if mantissa >= 10:
        mantissa, exponent = round(mantissa / 10, digits), exponent + 1
    return mantissa, exponent


def sci_words(log_value: float) -> str:
    """exp(log_value) for a sentence, from its log (so 1e-900 is not shown as 0): 0.07763 (four
    significant digits) from 0.001 to 99999, else 7.0030 × 10⁻⁷."""
    if log_value == -math.inf:
        return "0"
    if log_value == math.inf:
        return "infinite"
    m, e = power_of_ten(log_value)
    return num(math.exp(log_value), ".4g") if -3 <= e < 5 else f"{m:.4f} × 10{superscript(e)}"


def sci_text(log_value: float) -> str:
    """exp(log_value) as Python writes f"{x:.4e}" (7.0030e-07), from its log; ∞ for an infinite one."""
    if log_value == math.inf:
        return "∞"
    m, e = power_of_ten(log_value)
    return f"{m:.4f}e{e:+03d}"


def density_words(log_value: float) -> str:
    """A density, from its log, as the tables print it: four decimals, or a power of ten below 0.001
    (not 0.0000, nor the 0 of a density too small for a float)."""
    return f"{math.exp(log_value):.4f}" if log_value >= math.log(0.001) else sci_words(log_value)


def compared(log_gap: float) -> str:
    """How exp(log_gap) times a number compares with it: 'is 0.18 % larger than', 'equals'."""
    if log_gap == 0:
        return "equals"
    bigger = "larger" if log_gap > 0 else "smaller"
    if abs(log_gap) >= math.log(100):
        return f"is {sci_words(abs(log_gap))} times {bigger} than"
    shown = f"{100 * abs(math.expm1(log_gap)):.2f}"
    return f"is {'less than 0.005' if float(shown) == 0 else shown} % {bigger} than"


def decimal_words(value: Decimal) -> str:
    """An exact decimal for a sentence: every digit up to 12 significant, else '≈' and 10."""
    value = value.normalize()
    if value == 0:
        return "0"
    digits = len(value.as_tuple().digits)
    about = digits > 12
    if not about and Decimal("0.001") <= abs(value) < Decimal("100000"):
        return format(value, "f")
    m, e = f"{value:.{(10 if about else digits) - 1}e}".split("e")
    return ("≈ " if about else "") + f"{m} × 10{superscript(int(e))}"


def normal_label(mu: float, sigma: float) -> str:
    """N(μ, σ²) with the numbers in, the second one a variance: N(50, 5²)."""
    s = plain(sigma, 5)
    return f"N({plain(mu, 5)}, {f'({s})' if ' ' in s else s}²)"


# --- TeX, for Page.formula -----------------------------------------------------------------------
def value_tex(value: float, digits: int = 4) -> str:
    """7.003e-07 → '7.0030 \\times 10^{-7}'; ordinary sizes stay plain; 0.0 and inf spelled out."""
    if value == 0 or not math.isfinite(value):
        return {0.0: "0", math.inf: r"\infty", -math.inf: r"-\infty"}.get(value, r"\text{NaN}")
    exponent = math.floor(math.log10(abs(value)))
    if -3 <= exponent < 5 and abs(float(f"{value:.{digits}g}")) < 1e5:
        return f"{value:.{digits}g}"
    mantissa = round(value / 10**exponent, digits)
    if abs(mantissa) >= 10:     # 9.99999e9 is 1.0000 × 10¹⁰, not 10.0000 × 10⁹
        mantissa, exponent = mantissa / 10, exponent + 1
    return rf"{mantissa:.{digits}f} \times 10^{{{exponent}}}"


def sci_tex(log_value: float) -> str:
    """exp(log_value) in TeX, from its log: 0.07763, or 7.0030 \\times 10^{-7}."""
    if log_value == -math.inf:
        return "0"
    m, e = power_of_ten(log_value)
    return num(math.exp(log_value), ".4g") if -3 <= e < 5 else rf"{m:.4f} \times 10^{{{e}}}"


def product_tex(values, shown: int = 5, fmt: str = "{:.4f}") -> str:
    """a × b × c × ⋯ in TeX, at most `shown` factors written out."""
    values = list(values)
    text = r" \times ".join(fmt.format(v) for v in values[:shown])
    return text + (r" \times \cdots" if len(values) > shown else "")


def _rounded(log_value: float, digits: int) -> tuple[float, int]:
    """exp(log_value) as (m, e), m rounded to `digits` significant digits, 1 ≤ m < 10."""
    log10 = log_value / math.log(10)
    exponent = math.floor(log10)
    mantissa = round(10 ** (log10 - exponent), digits - 1)
    if mantissa >= 10:
        mantissa, exponent = round(mantissa / 10, digits - 1), exponent + 1
    return mantissa, exponent


def _sig_tex(log_value: float, digits: int) -> str:
    m, e = _rounded(log_value, digits)
    if -4 <= e < 5:
        return f"{m * 10.0**e:#.{digits}g}".rstrip(".")
    return rf"{m:.{digits - 1}f} \times 10^{{{e}}}"


def factors_tex(log_values, log_product: float, shown: int = 5) -> list[str]:
    """Factors of a product in TeX, from their logs (so that a density too small for a float is
    not written 0), with as many significant digits (5 or more) as it takes for the `shown` factors
    written out to multiply to the product as shown (sci_text) when they are all of them:
    0.0776 × 0.0790 × 0.0705 × 0.0647 × 0.0250 is 6.9907e-07, not the 7.0030e-07 of the exact
    densities, while 0.077631 × 0.079029 × ⋯ is."""
    logs = [float(v) for v in log_values]
    target = sci_text(log_product)
    digits = 5
    if len(logs) <= shown:
        for d in range(5, 13):
            rounded = [_rounded(v, d) for v in logs]
            if sci_text(math.fsum(math.log(m) + e * math.log(10) for m, e in rounded)) == target:
                digits = d
                break
    return [_sig_tex(v, digits) for v in logs]


# --- figures of a run (core/ascent.py, core/training_verdict.py, ui/literal_check.py) ------------
def sig(x: float, digits: int = 3) -> str:
    """`x` to `digits` significant digits for a sentence, trailing zeros dropped: 0.0123, 45.6, 1,234, 5.5;
    a number below 0.001 or from 10⁶ on as 1.23 × 10⁻⁷ (never 1.23e-07); ∞ as ∞; never −0."""
    x = float(x)
    if math.isnan(x):
        return "not a number"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    m, e = _rounded(math.log(abs(x)), digits)
    sign = "-" if x < 0 else ""
    if -3 <= e < 6:
        text = f"{abs(x):,.{max(0, digits - 1 - e)}f}"
        return sign + (text.rstrip("0").rstrip(".") if "." in text else text)
    return f"{sign}{f'{m:.{digits - 1}f}'.rstrip('0').rstrip('.')} × 10{superscript(e)}"


def about_count(x: float) -> str:
    """A large count of steps, rounded to two significant digits: "12,000", "2.5 × 10⁶"; an
    infinite one as "endlessly many"."""
    if not math.isfinite(x):
        return "endlessly many"
    rounded = float(f"{x:.2g}")
    return f"{rounded:,.0f}" if rounded < LARGEST_SHOWN else sig(rounded, 2)


def seconds(t: float) -> str:
    """A duration: "1.23 s", or "45.6 ms" under a second."""
    return f"{sig(t, 3)} s" if t >= 1 else f"{sig(t * 1e3, 3)} ms"


def shown_gap(a: float, b: float, digits: int = 4) -> str:
    """a − b as the difference of a and b shown to `digits` decimals, so that the three figures
    add up on the page (2.4271 − 2.4205 = 0.0066, though a − b itself is 0.00654)."""
    if not (math.isfinite(a) and math.isfinite(b)) or max(abs(a), abs(b)) >= LARGEST_SHOWN:
        return figure(a - b, digits)
    return figure(round(a, digits) - round(b, digits), digits)


# --- chapters 1-3: one way to write a number on a page ------------------------------------------
def equals(shown: str) -> str:
    """"= x" for a figure written in full, "≈ x" for one written as an approximation (never "= ≈ x")."""
    return shown if shown.startswith("≈") else f"= {shown}"


def round_sig(x: float, digits: int) -> float:
    """`x` rounded to `digits` significant digits, as sig() and num(x, f".{digits}g") write it:
    the value a reader multiplies when the page shows it."""
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return x
    return float(format(x, f".{digits - 1}e"))


def small(x: float, digits: int = 4) -> str:
    """A positive figure that may be tiny, for a sentence: `digits` significant digits, below 0.001
    as 1.234 × 10⁻⁵ (sig, with trailing zeros kept so that every figure shows the same precision)."""
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return sig(x, digits)
    m, e = _rounded(math.log(abs(x)), digits)
    sign = "-" if x < 0 else ""
    if -3 <= e < 6:
        return sign + f"{abs(x):,.{max(0, digits - 1 - e)}f}"
    return f"{sign}{m:.{digits - 1}f} × 10{superscript(e)}"


def small_tex(x: float, digits: int = 4) -> str:
    """small(x) for TeX: 9.679 \\times 10^{-5}."""
    text = small(x, digits).replace(",", "{,}")
    if " × 10" not in text:
        return text
    mantissa, power = text.split(" × 10")
    return rf"{mantissa} \times 10^{{{power.translate(_FROM_SUPERSCRIPT)}}}"


_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def plain(x: float, digits: int = 6) -> str:
    """A parameter or an observation for a sentence or a formula: `digits` significant digits,
    trailing zeros dropped, and no exponent from 10⁻⁴ to 10¹⁶ (1000000, not the 1e+06 of num(x));
    beyond that m × 10ⁿ (sig). Never −0."""
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return num(x)
    m, e = _rounded(math.log(abs(x)), digits)
    if not -4 <= e < 16:
        return sig(x, digits)
    text = num(x, f".{max(0, digits - 1 - e)}f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def plain_pair(lo: float, hi: float, digits: int = 4) -> tuple[str, str]:
    """The two ends of a range, plain(), with enough digits that they differ (99998.9 and 100001.7,
    not 1e+05 and 1e+05)."""
    if lo == hi or not (math.isfinite(lo) and math.isfinite(hi)):
        return plain(lo, digits), plain(hi, digits)
    extra = max(0, math.floor(math.log10(max(abs(lo), abs(hi)))) - math.floor(math.log10(abs(hi - lo))))
    return plain(lo, digits + extra), plain(hi, digits + extra)


# --- settings and counts in a sentence -----------------------------------------------------------
def setting(x: float, digits: int = 3) -> str:
    """A setting (add-k's k, a penalty λ) in a sentence: `digits` significant digits, plain from
    0.0001 to 999,999 (0.0316, 100, 0), else with a power of ten (3.16 × 10⁻⁵), never e-notation."""
    text = num(x, f".{digits}g")
    if "e" not in text:
        return text
    mantissa, power = text.split("e")
    return f"{mantissa} × 10{superscript(int(power))}"


def setting_tex(x: float, digits: int = 3) -> str:
    """setting(x) for TeX: 0.0316, 100, or 3.16 \\times 10^{-5}."""
    text = num(x, f".{digits}g")
    if "e" not in text:
        return text
    mantissa, power = text.split("e")
    return rf"{mantissa} \times 10^{{{int(power)}}}"


def integer(n: int) -> str:
    """A whole number with thousands separated by commas: 32,033."""
    return f"{int(n):,}"


def mebibytes(size: int) -> str:
    """A file's size in MiB to one decimal: 4.9 MiB."""
    return f"{size / 2**20:.1f} MiB"


def hex_code(n: int, digits: int = 2) -> str:
    """A byte or a code point in hexadecimal, as references write them: 0xE9's E9, U+202E's 202E."""
    return f"{n:0{digits}X}"


# --- chapters 4-6: a float as Python prints it, and terms that add up as shown ------------------
def shortest(x: float) -> str:
    """The shortest decimal that reads back as `x` (Python's repr), with a power of ten written
    × 10⁻⁶ rather than e-06: 7.5e-06 is "7.5 × 10⁻⁶", 0.125 stays "0.125"."""
    text = repr(float(x))
    if "e" not in text:
        return text
    mantissa, power = text.split("e")
    return f"{mantissa} × 10{superscript(int(power))}"


def adding_up(terms, total: float, digits: int = 4) -> tuple[list[str], str]:
    """The terms and their total written with the fewest decimals (`digits` at least, 12 at most)
    at which the terms as shown add up to the total as shown: 1.23456 + 2.34567 = 3.58023 takes five
    decimals, since at four 1.2346 + 2.3457 makes 3.5803, not the 3.5802 the total rounds to."""
    terms = [float(t) for t in terms]
    for d in range(digits, 13):
        shown = [num(t, f".{d}f") for t in terms]
        if num(math.fsum(float(t) for t in shown), f".{d}f") == num(total, f".{d}f"):
            break
    return shown, num(total, f".{d}f")


def apart(a: float, b: float, digits: int = 4) -> tuple[str, str]:
    """a and b with `digits` decimals, or as many more (up to 12) as it takes for two different
    numbers not to read the same: 61.04802 and 61.04818 are 61.0480 and 61.0482, 1.00001 and 1.00002
    are 1.00001 and 1.00002."""
    for d in range(digits, 13):
        shown = num(a, f".{d}f"), num(b, f".{d}f")
        if a == b or shown[0] != shown[1]:
            return shown
    return shown


def axis_power(largest: float) -> int:
    """The power of ten to take out of a chart's axis so that its labels read as ordinary numbers
    (2.5, not 2.5e-6), the axis title saying "× 10⁻⁶"; 0 when the largest value reads plainly."""
    if not (math.isfinite(largest) and largest > 0) or 1e-3 <= largest < 1e5:
        return 0
    return math.floor(math.log10(largest))
