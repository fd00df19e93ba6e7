#pragma once

#include "loadreport.h"

#include <QList>
#include <QObject>

namespace wsprobe {

// A load run's thresholds as a QTest test, one data row each, so QTest writes the reports
// (-o report.xml,junitxml) and counts the failures as it does for scenario suites.
class LoadThresholds : public QObject
{
    Q_OBJECT

public:
    explicit LoadThresholds(QList<ThresholdOutcome> outcomes, QObject *parent = nullptr);

private Q_SLOTS:
    void threshold_data();
    void threshold();

private:
    QList<ThresholdOutcome> m_outcomes;
};

} // namespace wsprobe
