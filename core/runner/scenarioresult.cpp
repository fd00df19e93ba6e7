#include "scenarioresult.h"

using namespace Qt::StringLiterals;

namespace wsprobe {

QString displayName(StepResult::Status status)
{
    switch (status) {
    case StepResult::Status::Pending: return u"pending"_s;
    case StepResult::Status::Running: return u"running"_s;
    case StepResult::Status::Passed: return u"passed"_s;
    case StepResult::Status::Failed: return u"failed"_s;
    case StepResult::Status::Skipped: return u"skipped"_s;
    }
    return {};
}

const StepResult *ScenarioResult::firstFailure() const
{
    for (const StepResult &step : steps) {
        if (step.status == StepResult::Status::Failed)
            return &step;
    }
    return nullptr;
}

QString ScenarioResult::failureReport() const
{
    const StepResult *failed = firstFailure();
    if (!failed)
        return error;
    QString report = u"step %1 failed: %2"_s.arg(failed->index + 1).arg(failed->title);
    if (failed->line > 0)
        report += u"\n   at:       %1:%2"_s.arg(filePath).arg(failed->line);
    report += u"\n   why:      "_s + failed->message;
    if (!failed->expected.isEmpty())
        report += u"\n   expected: "_s + failed->expected;
    if (!failed->actual.isEmpty())
        report += u"\n   actual:   "_s + failed->actual;
    return report;
}

} // namespace wsprobe
