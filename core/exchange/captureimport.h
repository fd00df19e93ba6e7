#pragma once

#include "capturedconnection.h"
#include "scenario.h"

#include <QList>
#include <QMap>
#include <QStringList>

namespace wsprobe {

struct ImportOptions
{
    QString scenarioName;          // "" = "Imported from <source>"
    QString source;                // the file the capture came from, for the name
    // Received JSON is expected as a subset without the fields that change between runs
    // (VolatileJson) instead of whole.
    bool looseJson = false;
    // A pause of at least this long before a message sent becomes an optional wait.
    int minPauseMs = 500;
};

struct ImportResult
{
    Scenario scenario;
    // Secret values taken out of headers and URLs, by the variable that now stands for them.
    // Values already masked in the capture are not here: see variablesToDefine.
    QMap<QString, QString> secrets;
    // Every secret variable the scenario uses, sorted: what a user has to give before a run.
    QStringList variablesToDefine;
};

// Turns captured connections into one scenario through the recorder (the same steps, secrets
// turned into {{variables}}, abstractions as a manual session's recording): one client per
// connection, all steps in the order they happened, pauses as optional waits, and timeouts
// long enough for the waits the capture shows.
namespace CaptureImport {

ImportResult toScenario(const QList<CapturedConnection> &connections, const ImportOptions &options);

} // namespace CaptureImport
} // namespace wsprobe
