#pragma once

#include "loadprofile.h"

#include <QMap>
#include <QString>
#include <QStringList>
#include <QStringView>


namespace wsprobe {

struct Scenario;
struct Step;

// What an export needs besides the scenario.
struct LoadExportOptions
{
    LoadProfile load;
    // Values given on the command line (--var): written into the script unless the name is a
    // secret's, which stays a reference to the environment.
    QMap<QString, QString> values;
    // Shown in the script's header: where the scenario came from.
    QString sourceName;
};

// A script, and what it could not carry over.
struct LoadExport
{
    QString text;
    // Steps, triggers and settings left out: "scenario.json:12:5: step 4, expectNone bob: ...: why".
    QStringList notExported;
    // Kept, but checked less strictly than wsprobe does.
    QStringList approximated;
    // Names the script reads from the environment: secrets, and variables with no value here.
    QStringList environment;
};

namespace LoadExportText {
// "scenario.json:12:5: step 4 (expect bob: text "hi")": how the notes name a step.
QString stepLabel(const Scenario &scenario, qsizetype index, const Step &step);
// The notes as comment lines after `prefix` ("# ", "// "), for a script's header.
QString notesAsComment(const LoadExport &exported, const QString &prefix);
} // namespace LoadExportText

} // namespace wsprobe
