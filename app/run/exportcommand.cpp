#include "exportcommand.h"

#include "artilleryexport.h"
#include "k6export.h"
#include "scenarioloader.h"
#include "variablesyntax.h"

#include <QFileInfo>
#include <QSaveFile>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

constexpr int UsageError = 2;

const char *usage()
{
    return "Usage: wsprobe-run --export artillery|k6 SCENARIO [-o FILE] [--users N] [--ramp D]\n"
           "                   [--duration D] [--arrival-rate R] [--var NAME=VALUE]\n"
           "\n"
           "Writes the scenario as a load test for another tool: an Artillery 2.x script (its ws\n"
           "engine, YAML) or a k6 script (k6/experimental/websockets), to run on many machines.\n"
           "Steps the tool cannot express are listed in the script's header and on stderr.\n"
           "Secrets and variables without a value are read from the environment when it runs.\n"
           "The load options not given come from the scenario's \"load\" block, if it has one.\n"
           "\n"
           "  -o FILE            where to write the script (default: standard output)\n"
           "  --users N          virtual users at once (default 1)\n"
           "  --ramp D           time over which they start (default 0), e.g. 10s, 500ms, 2m\n"
           "  --duration D       how long the load lasts after the ramp (default 60s)\n"
           "  --arrival-rate R   new users a second (default: N a second, at most N at once)\n"
           "  --var NAME=VALUE   a variable's value for the script (repeatable); a secret's\n"
           "                     name stays a reference to the environment\n";
}

} // namespace

int runExportCommand(const QStringList &arguments)
{
    QTextStream err(stderr);
    QString tool;
    QString scenarioPath;
    QString output;
    LoadExportOptions options;
    // Which load settings the command line gave: those win over the scenario's load block.
    bool usersGiven = false, rampGiven = false, durationGiven = false, rateGiven = false;
    if (arguments.contains(u"--help"_s) || arguments.contains(u"-h"_s)) {
        QTextStream(stdout) << usage();
        return 0;
    }
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments[i];
        QString value;
        const auto takeValue = [&] {
            if (i + 1 >= arguments.size())
                return false;
            value = arguments[++i];
            return true;
        };
        const auto fail = [&](const QString &message) {
            err << "wsprobe-run: " << message << "\n\n" << usage();
            return UsageError;
        };
        if (argument == "--export"_L1) {
            if (!takeValue() || (value != "artillery"_L1 && value != "k6"_L1))
                return fail(u"--export needs artillery or k6"_s);
            tool = value;
        } else if (argument == "-o"_L1 || argument == "--output"_L1) {
            if (!takeValue() || value.isEmpty())
                return fail(u"-o needs a file"_s);
            output = value;
        } else if (argument == "--users"_L1) {
            bool ok = false;
            options.load.users = takeValue() ? value.toInt(&ok) : 0;
            if (!ok || options.load.users < 1 || options.load.users > 10'000'000)
                return fail(u"--users needs a positive number"_s);
            usersGiven = true;
        } else if (argument == "--ramp"_L1 || argument == "--duration"_L1) {
            const std::optional<qint64> ms = takeValue() ? LoadProfile::parseDuration(value) : std::nullopt;
            if (!ms || (argument == "--duration"_L1 && *ms <= 0))
                return fail(argument + u" needs a duration such as 10s, 500ms or 2m"_s);
            (argument == "--ramp"_L1 ? options.load.rampUpMs : options.load.durationMs) = *ms;
            (argument == "--ramp"_L1 ? rampGiven : durationGiven) = true;
        } else if (argument == "--arrival-rate"_L1) {
            bool ok = false;
            options.load.arrivalRate = takeValue() ? value.toDouble(&ok) : 0;
            if (!ok || options.load.arrivalRate <= 0)
                return fail(u"--arrival-rate needs a positive number of users a second"_s);
            rateGiven = true;
        } else if (argument == "--var"_L1) {
            QString error;
            const auto assignment = takeValue() ? VariableSyntax::parseAssignment(value, &error)
                                                : std::nullopt;
            if (!assignment)
                return fail(u"--var needs NAME=VALUE with a valid name, got \"%1\""_s.arg(value));
            options.values.insert(assignment->first, assignment->second);
        } else if (!argument.startsWith(u'-') && scenarioPath.isEmpty()) {
            scenarioPath = argument;
        } else {
            return fail(u"cannot use %1 with --export"_s.arg(argument));
        }
    }
    if (scenarioPath.isEmpty())
        return (err << "wsprobe-run: --export needs one scenario file\n\n" << usage(), UsageError);

    const ScenarioLoader::Result loaded = ScenarioLoader::loadFile(scenarioPath);
    if (!loaded.scenario) {
        err << loaded.errorText() << '\n';
        return UsageError;
    }
    if (const std::optional<LoadProfile> &block = loaded.scenario->load) {
        if (!usersGiven)
            options.load.users = block->users;
        if (!rampGiven)
            options.load.rampUpMs = block->rampUpMs;
        if (!durationGiven)
            options.load.durationMs = block->durationMs;
        if (!rateGiven)
            options.load.arrivalRate = block->arrivalRate;
    }
    options.sourceName = QFileInfo(scenarioPath).fileName();
    const LoadExport exported = tool == "k6"_L1 ? K6Export::toScript(*loaded.scenario, options)
                                                : ArtilleryExport::toYaml(*loaded.scenario, options);
    if (output.isEmpty() || output == "-"_L1) {
        QTextStream(stdout) << exported.text;
    } else {
        QSaveFile file(output);
        if (!file.open(QIODevice::WriteOnly) || file.write(exported.text.toUtf8()) < 0 || !file.commit()) {
            err << "wsprobe-run: cannot write " << output << ": " << file.errorString() << '\n';
            return UsageError;
        }
        err << "wsprobe-run: wrote " << output << " (" << tool << ")\n";
    }
    const QString tag = tool == "k6"_L1 ? u"k6"_s : u"Artillery"_s;
    for (const QString &line : exported.notExported)
        err << "wsprobe-run: not exported, " << tag << " cannot express it: " << line << '\n';
    for (const QString &line : exported.approximated)
        err << "wsprobe-run: approximated: " << line << '\n';
    if (!exported.environment.isEmpty())
        err << "wsprobe-run: set in the environment before running: " << exported.environment.join(u", "_s) << '\n';
    return 0;
}

} // namespace wsprobe
