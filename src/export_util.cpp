// Dates and CSV fields for the exporters.
#include <cstdio>

#include "export_util.hpp"
#include "utf8.hpp"

namespace newsgraph {

namespace {

bool Digits(std::string_view s, std::size_t from, std::size_t n, int* value) {
  if (s.size() < from + n) return false;
  int v = 0;
  for (std::size_t i = from; i < from + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *value = v;
  return true;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

std::string Ymd(int y, int m, int d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

// Days since 1970-01-01 (proleptic Gregorian) and back, after Howard Hinnant.
long DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string CivilFromDays(long z) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe + era * 400 + (m <= 2));
  return Ymd(y, m, d);
}

}  // namespace

std::pair<std::string, std::string> DateBounds(std::string_view date) {
  int y, m, d;
  if (!Digits(date, 0, 4, &y)) return {};
  if (date.size() == 4) return {Ymd(y, 1, 1), Ymd(y, 12, 31)};
  if (date.size() < 7 || date[4] != '-' || !Digits(date, 5, 2, &m) || m < 1 || m > 12) return {};
  if (date.size() == 7) return {Ymd(y, m, 1), Ymd(y, m, DaysInMonth(y, m))};
  if (date.size() < 10 || date[7] != '-' || !Digits(date, 8, 2, &d) || d < 1 ||
      d > DaysInMonth(y, m))
    return {};
  return {Ymd(y, m, d), Ymd(y, m, d)};
}

std::pair<std::string, std::string> PeriodBounds(std::string_view period) {
  int y, w;
  if (period.size() == 8 && period[4] == '-' && period[5] == 'W' && Digits(period, 0, 4, &y) &&
      Digits(period, 6, 2, &w) && w >= 1 && w <= 53) {
    // ISO week 1 holds January 4th; weeks start on Monday.
    const long jan4 = DaysFromCivil(y, 1, 4);
    const long weekday = ((jan4 % 7) + 10) % 7;  // Monday = 0 (1970-01-01 was a Thursday)
    const long monday = jan4 - weekday + 7L * (w - 1);
    return {CivilFromDays(monday), CivilFromDays(monday + 6)};
  }
  if (period.size() != 7 && period.size() != 10) return {};
  return DateBounds(period);
}

std::string CsvField(std::string_view field) {
  const bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!field.empty() && (field.front() == ' ' || field.back() == ' '));
  if (!quote) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

double RoundedAsWritten(double v) {
  // The powers of ten a double holds exactly.
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                      1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  constexpr int kMaxPow = 22;
  const double mag = std::fabs(v);
  if (std::isfinite(mag) && mag > 0) {
    // mag = scaled * 10^q with scaled in [1e5, 1e6): its integer part holds the 6 digits.
    int q = static_cast<int>(std::floor(std::log10(mag))) - 5;
    for (int tries = 0; tries < 2 && q >= -kMaxPow && q <= kMaxPow; ++tries) {
      // One correctly rounded operation: off by at most 2^-53 relative, 1.2e-10 absolute.
      const double scaled = q >= 0 ? mag / kPow10[q] : mag * kPow10[-q];
      if (scaled < 1e5) { --q; continue; }      // log10 rounded up across a power of ten
      if (scaled >= 1e6) { ++q; continue; }     // or down
      const double below = std::floor(scaled);
      if (std::fabs(scaled - below - 0.5) < 1e-9) break;  // too close to a tie to tell
      const double digits = scaled - below > 0.5 ? below + 1 : below;
      // digits and 10^|q| are exact, so the product or quotient is the double nearest
      // digits * 10^q, which is what reading the decimal text gives.
      const double rounded = q >= 0 ? digits * kPow10[q] : digits / kPow10[-q];
      return std::copysign(rounded, v);
    }
  }
  char text[kDoubleChars];
  const char* end = FormatDoubleTo(text, v);
  double written = 0;
  std::from_chars(text, end, written);
  return written;
}

std::string ValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t start = i;
    const char32_t c = utf8::Next(s, &i);
    if (c == 0xFFFD || (c >= 0xD800 && c <= 0xDFFF)) out += "\xEF\xBF\xBD";
    else out.append(s.substr(start, i - start));
  }
  return out;
}

}  // namespace newsgraph
