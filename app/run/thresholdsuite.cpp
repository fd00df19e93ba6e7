#include "thresholdsuite.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace wsprobe {

LoadThresholds::LoadThresholds(QList<ThresholdOutcome> outcomes, QObject *parent)
    : QObject(parent), m_outcomes(std::move(outcomes))
{
}

void LoadThresholds::threshold_data()
{
    QTest::addColumn<int>("index");
    // A run without thresholds still gets a report: one row that passes.
    if (m_outcomes.isEmpty())
        QTest::newRow("no thresholds") << -1;
    for (int i = 0; i < m_outcomes.size(); ++i)
        QTest::newRow(m_outcomes[i].threshold.text().toUtf8().constData()) << i;
}

void LoadThresholds::threshold()
{
    QFETCH(int, index);
    if (index < 0)
        return;
    const ThresholdOutcome &outcome = m_outcomes.at(index);
    const QByteArray message = u"%1 failed: measured %2"_s.arg(outcome.threshold.text(), outcome.verdict.actual).toUtf8();
    QVERIFY2(outcome.verdict.passed, message.constData());
}

} // namespace wsprobe
