#include "loadcommand.h"

#include "loaddata.h"
#include "loadreport.h"
#include "loadrunner.h"
#include "loadthreshold.h"
#include "quitonsignals.h"
#include "scenarioloader.h"
#include "thresholdsuite.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QTest>
#include <QTextStream>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

constexpr int UsageError = 2;
constexpr int ProgressIntervalMs = 5000;

} // namespace

bool LoadOptions::any() const
{
    return load || users || rampUpMs || durationMs || iterations || arrivalRate || thinkTimeMs
           || dataFile || !thresholds.isEmpty();
}

std::optional<bool> LoadOptions::take(const QStringList &arguments, qsizetype *i, LoadOptions *options,
                                      QString *error)
{
    const QString &argument = arguments[*i];
    static const QStringList names = {u"--load"_s, u"--users"_s, u"--ramp"_s, u"--duration"_s,
                                      u"--iterations"_s, u"--arrival-rate"_s, u"--think"_s,
                                      u"--data"_s, u"--threshold"_s};
    if (!names.contains(argument))
        return std::nullopt;
    if (argument == "--load"_L1) {
        options->load = true;
        return true;
    }
    if (*i + 1 >= arguments.size()) {
        *error = argument + u" needs a value"_s;
        return false;
    }
    const QString value = arguments[++*i];
    bool ok = false;
    if (argument == "--users"_L1 || argument == "--iterations"_L1) {
        const int number = value.toInt(&ok);
        if (!ok || number < 1 || number > 1'000'000) {
            *error = argument + u" needs a positive number, got \"%1\""_s.arg(value);
            return false;
        }
        (argument == "--users"_L1 ? options->users : options->iterations) = number;
    } else if (argument == "--ramp"_L1 || argument == "--duration"_L1 || argument == "--think"_L1) {
        const std::optional<qint64> ms = LoadProfile::parseDuration(value);
        if (!ms || (argument == "--duration"_L1 && *ms <= 0)) {
            *error = argument + u" needs a duration such as 10s, 500ms or 2m, got \"%1\""_s.arg(value);
            return false;
        }
        (argument == "--ramp"_L1 ? options->rampUpMs
                                 : argument == "--duration"_L1 ? options->durationMs : options->thinkTimeMs) = *ms;
    } else if (argument == "--arrival-rate"_L1) {
        const double rate = value.toDouble(&ok);
        if (!ok || rate <= 0 || rate > 1'000'000) {
            *error = u"--arrival-rate needs a positive number of iterations a second, got \"%1\""_s.arg(value);
            return false;
        }
        options->arrivalRate = rate;
    } else if (argument == "--data"_L1) {
        if (value.isEmpty()) {
            *error = u"--data needs a CSV file"_s;
            return false;
        }
        options->dataFile = value;
    } else {
        options->thresholds.append(value);
    }
    return true;
}

int runLoadCommand(const QString &scenarioPath, const LoadOptions &options, const Variables &variables,
                   int timeoutOverrideMs, const QStringList &qtestArguments)
{
    QTextStream err(stderr);
    QTextStream out(stdout);
    const ScenarioLoader::Result loaded = ScenarioLoader::loadFile(scenarioPath);
    if (!loaded.scenario) {
        err << loaded.errorText() << '\n';
        return UsageError;
    }
    const Scenario &scenario = *loaded.scenario;

    // The file's load block, then each option given on the command line in its place.
    LoadProfile profile = scenario.load.value_or(LoadProfile{});
    if (options.users)
        profile.users = *options.users;
    if (options.rampUpMs)
        profile.rampUpMs = *options.rampUpMs;
    if (options.durationMs)
        profile.durationMs = *options.durationMs;
    if (options.iterations)
        profile.iterations = *options.iterations;
    if (options.arrivalRate)
        profile.arrivalRate = *options.arrivalRate;
    if (options.thinkTimeMs)
        profile.thinkTimeMs = *options.thinkTimeMs;
    if (options.dataFile)
        profile.dataFile = *options.dataFile;
    if (!options.thresholds.isEmpty()) {
        profile.thresholds.clear();
        for (const QString &text : options.thresholds)
            profile.thresholds.append({text, {}});
    }

    QList<LoadThreshold> thresholds;
    bool badThreshold = false;
    for (const LoadThresholdText &written : std::as_const(profile.thresholds)) {
        QString error;
        int column = 0;
        if (const std::optional<LoadThreshold> threshold = LoadThreshold::parse(written.text, &error, &column)) {
            thresholds.append(*threshold);
            continue;
        }
        badThreshold = true;
        if (written.where.isValid()) {
            // The string's location is its opening quote.
            err << QFileInfo(scenarioPath).fileName() << ':' << written.where.line << ':'
                << written.where.column + column << ": bad threshold \"" << written.text << "\": " << error << '\n';
        } else {
            err << "wsprobe-run: bad threshold \"" << written.text << "\" (at character " << column
                << "): " << error << '\n';
        }
    }
    if (badThreshold)
        return UsageError;

    LoadData data;
    if (!profile.dataFile.isEmpty()) {
        QString error;
        if (!data.load(profile.dataFile, &error)) {
            err << "wsprobe-run: the data file: " << error << '\n';
            return UsageError;
        }
    }

    LoadRunner runner(scenario, variables, profile);
    runner.setData(data);
    runner.setScenarioTimeout(timeoutOverrideMs);
    QuitOnSignals quitOnSignals;
    if (quitOnSignals.install())
        QObject::connect(&quitOnSignals, &QuitOnSignals::quitRequested, &runner, &LoadRunner::stop);
    QObject::connect(&runner, &LoadRunner::finished, QCoreApplication::instance(), &QCoreApplication::quit,
                     Qt::QueuedConnection);
    QTimer progress;
    QObject::connect(&progress, &QTimer::timeout, &runner, [&] {
        const LoadSummary now = runner.summary();
        // Rounded: the timer fires a little before each whole 5 s of the run.
        err << "wsprobe-run: " << qint64((now.elapsedNs + 500'000'000) / 1'000'000'000) << "s: " << now.iterations
            << " iterations, " << now.errors() << " errors" << Qt::endl;
    });
    progress.start(ProgressIntervalMs);
    runner.start();
    if (runner.isRunning())
        QCoreApplication::exec();
    progress.stop();

    const LoadSummary summary = runner.summary();
    const QList<ThresholdOutcome> outcomes = LoadReport::evaluate(thresholds, summary);
    out << '\n' << LoadReport::text(scenario.name, profile, summary, outcomes) << Qt::flush;
    if (!runner.firstFailure().isEmpty())
        err << "\nwsprobe-run: the first failed iteration, " << variables.maskSecrets(runner.firstFailure()) << '\n';

    if (qtestArguments.size() > 1) {
        LoadThresholds suite(outcomes);
        return QTest::qExec(&suite, qtestArguments);
    }
    return int(std::count_if(outcomes.begin(), outcomes.end(),
                             [](const ThresholdOutcome &outcome) { return !outcome.verdict.passed; }));
}

} // namespace wsprobe
