#include "loadexport.h"

#include "scenario.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace wsprobe {

namespace LoadExportText {

QString stepLabel(const Scenario &scenario, qsizetype index, const Step &step)
{
    QString where = scenario.filePath.isEmpty() ? u"scenario"_s
                                                : QFileInfo(scenario.filePath).fileName();
    if (step.where.isValid())
        where += u":%1:%2"_s.arg(step.where.line).arg(step.where.column);
    return u"%1: step %2 (%3)"_s.arg(where).arg(index + 1).arg(describe(step));
}

QString notesAsComment(const LoadExport &exported, const QString &prefix)
{
    QString text;
    const auto list = [&](const QString &heading, const QStringList &lines) {
        if (lines.isEmpty())
            return;
        text += prefix + heading + u'\n';
        for (const QString &line : lines)
            text += prefix + u"  - "_s + QString(line).replace(u'\n', u' ') + u'\n';
    };
    list(u"Not exported (the tool cannot express them):"_s, exported.notExported);
    list(u"Approximated (checked less strictly than wsprobe does):"_s, exported.approximated);
    if (!exported.environment.isEmpty()) {
        text += prefix + u"Read from the environment (set them before running): "_s
                + exported.environment.join(u", "_s) + u'\n';
    }
    return text;
}

} // namespace LoadExportText
} // namespace wsprobe
