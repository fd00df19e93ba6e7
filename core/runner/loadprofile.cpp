#include "loadprofile.h"

#include "scenario.h"

#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;

namespace wsprobe {

std::optional<qint64> LoadProfile::parseDuration(QStringView text)
{
    static const QRegularExpression pattern(u"^\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?\\s*$"_s);
    const QRegularExpressionMatch match = pattern.match(text.toString());
    if (!match.hasMatch())
        return std::nullopt;
    const double number = match.capturedView(1).toDouble();
    const QStringView unit = match.capturedView(2);
    double factor = 1000;
    if (unit == u"ms")
        factor = 1;
    else if (unit == u"m")
        factor = 60'000;
    else if (unit == u"h")
        factor = 3'600'000;
    const double ms = number * factor;
    if (ms > double(MaxScenarioDurationMs) * 7)  // a week is plenty for a load test
        return std::nullopt;
    return qint64(std::llround(ms));
}

} // namespace wsprobe
