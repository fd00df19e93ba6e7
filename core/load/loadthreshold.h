#pragma once

#include "loadsummary.h"

#include <QString>

#include <optional>

namespace wsprobe {

// A pass/fail criterion on a load run, k6-style: "p95<200", "connect p99 < 500", "errors<1%",
// "rate>100". The grammar (docs/load.md, "Thresholds"):
//
//   threshold := [ "connect" ] statistic operator number [ unit ]
//              | counter operator number [ "%" ]
//   statistic := "p50" | "p90" | "p95" | "p99" | "min" | "max" | "avg"   (milliseconds)
//   counter   := "errors" | "rate" | "rate in" | "rate out" | "iterations"
//   operator  := "<" | "<=" | ">" | ">=" | "==" | "!="
//   unit      := "ms" | "s"   (statistics only; "%": errors only, a share of the iterations)
//
// A statistic without "connect" is the round trip. Blanks between the parts are allowed.
class LoadThreshold
{
public:
    enum class Metric { RoundTrip, Connect, Errors, ErrorRate, Rate, RateIn, RateOut, Iterations };
    enum class Statistic { None, P50, P90, P95, P99, Min, Max, Avg };
    enum class Operator { Less, LessOrEqual, Greater, GreaterOrEqual, Equal, NotEqual };

    // The threshold, or nullopt with *error saying what is wrong and at which character
    // (1-based column in text).
    static std::optional<LoadThreshold> parse(const QString &text, QString *error, int *column = nullptr);

    const QString &text() const { return m_text; }
    Metric metric() const { return m_metric; }
    Statistic statistic() const { return m_statistic; }
    // The bound in the metric's own unit: ms, a count, a share 0..1, messages a second.
    double limit() const { return m_limit; }

    // The run's value for this threshold in the same unit as limit(); nullopt when there is
    // nothing to measure (no round trip was paired, no connection opened).
    std::optional<double> valueIn(const LoadSummary &summary) const;
    // The value as the summary shows it: "12.31ms", "0.50%", "412.0/s", "120".
    QString formatValue(double value) const;

    struct Verdict
    {
        bool passed = false;
        QString actual;  // "p95=12.31ms", or why there is none
    };
    Verdict evaluate(const LoadSummary &summary) const;

private:
    QString m_text;
    Metric m_metric = Metric::RoundTrip;
    Statistic m_statistic = Statistic::None;
    Operator m_operator = Operator::Less;
    double m_limit = 0;
};

} // namespace wsprobe
