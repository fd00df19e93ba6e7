#include "importcommand.h"

#include "captureimport.h"
#include "harreader.h"
#include "jsonlreader.h"
#include "scenariowriter.h"

#include <QTextStream>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

constexpr int UsageError = 2;

const char *usage()
{
    return "Usage: wsprobe-run --import-har FILE [-o SCENARIO] [--loose] [--name NAME]\n"
           "       wsprobe-run --import-log FILE [-o SCENARIO] [--loose] [--name NAME]\n"
           "\n"
           "Turns a HAR saved by Chrome or Firefox DevTools (its WebSocket connections), or a\n"
           "frame log exported as JSON Lines, into a scenario: one client per connection,\n"
           "messages sent as send steps, messages received as expect steps, pauses as optional\n"
           "waits, secret headers and query parameters as {{variables}} to define.\n"
           "\n"
           "  -o FILE        where to write the scenario (default: standard output)\n"
           "  --loose        expect received JSON as a subset without the fields that change\n"
           "                 between runs (ids, timestamps, nonces), instead of exactly\n"
           "  --name NAME    the scenario's name (default: \"Imported from FILE\")\n";
}

} // namespace

int runImportCommand(const QStringList &arguments)
{
    QTextStream err(stderr);
    QString harPath;
    QString logPath;
    QString output;
    ImportOptions options;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments[i];
        const auto value = [&](QString *into) {
            if (i + 1 >= arguments.size() || !into->isEmpty())
                return false;
            *into = arguments[++i];
            return !into->isEmpty();
        };
        bool ok = true;
        if (argument == "--import-har"_L1)
            ok = value(&harPath);
        else if (argument == "--import-log"_L1)
            ok = value(&logPath);
        else if (argument == "-o"_L1 || argument == "--output"_L1)
            ok = value(&output);
        else if (argument == "--name"_L1)
            ok = value(&options.scenarioName);
        else if (argument == "--loose"_L1)
            options.looseJson = true;
        else if (argument == "--help"_L1 || argument == "-h"_L1) {
            QTextStream(stdout) << usage();
            return 0;
        } else
            ok = false;
        if (!ok) {
            err << "wsprobe-run: cannot use " << argument << " here (once each, with a value)\n\n" << usage();
            return UsageError;
        }
    }
    if (harPath.isEmpty() == logPath.isEmpty()) {
        err << "wsprobe-run: give one of --import-har and --import-log\n\n" << usage();
        return UsageError;
    }

    QList<CapturedConnection> connections;
    JsonError error;
    if (!harPath.isEmpty()) {
        options.source = harPath;
        if (!HarReader::read(harPath, &connections, &error)) {
            err << error.toString() << '\n';
            return UsageError;
        }
    } else {
        options.source = logPath;
        CapturedConnection connection;
        if (!JsonlReader::read(logPath, &connection, &error)) {
            err << error.toString() << '\n';
            return UsageError;
        }
        connections.append(std::move(connection));
    }

    const ImportResult imported = CaptureImport::toScenario(connections, options);
    if (output.isEmpty() || output == "-"_L1) {
        QTextStream(stdout) << ScenarioWriter::toText(imported.scenario);
    } else {
        QString writeError;
        if (!ScenarioWriter::save(imported.scenario, output, &writeError)) {
            err << "wsprobe-run: " << writeError << '\n';
            return UsageError;
        }
        err << "wsprobe-run: wrote " << output << " (" << imported.scenario.clients.size() << " client(s), "
            << imported.scenario.steps.size() << " steps)\n";
    }
    // The values stay out of the file: say what a run needs.
    if (!imported.variablesToDefine.isEmpty()) {
        err << "wsprobe-run: define before running (--var, --env or --secret-env): "
            << imported.variablesToDefine.join(u", "_s) << '\n';
    }
    return 0;
}

} // namespace wsprobe
