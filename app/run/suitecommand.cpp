#include "suitecommand.h"

#include "demoserver.h"
#include "demoserverthread.h"
#include "loadcommand.h"
#include "scenarioloader.h"
#include "scenariosuite.h"
#include "variablefile.h"
#include "variables.h"

#include <QFileInfo>
#include <QProcessEnvironment>
#include <QTest>
#include <QTextStream>

#include <optional>
#include <set>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

constexpr int UsageError = 2;

// QTest options that take a value: passed on with it, never taken for a path.
const std::set<QString> &qtestOptionsWithValue()
{
    static const std::set<QString> options = {
        u"-o"_s, u"-maxwarnings"_s, u"-eventdelay"_s, u"-keydelay"_s, u"-mousedelay"_s,
        u"-seed"_s, u"-minimumvalue"_s, u"-minimumtotal"_s, u"-iterations"_s, u"-median"_s,
        u"-callgrind"_s, u"-platform"_s};
    return options;
}

const char *usage()
{
    return "Usage: wsprobe-run PATH... [options] [QTest options]\n"
           "       wsprobe-run SCENARIO --users N [--ramp D] [--duration D] [--iterations N]\n"
           "                   [--arrival-rate R] [--think D] [--data FILE] [--threshold EXPR]...\n"
           "       wsprobe-run --serve-demo [--demo-port N]\n"
           "       wsprobe-run --serve MOCK.mock.json [--port N] [--var NAME=VALUE]\n"
           "       wsprobe-run --proxy LISTEN=TARGET [--rules RULES.json] [--log-dir DIR]\n"
           "       wsprobe-run --import-har FILE | --import-log FILE [-o SCENARIO] [--loose]\n"
           "       wsprobe-run --export artillery|k6 SCENARIO [-o FILE] [--users N] [--ramp D]\n"
           "                   [--duration D] [--arrival-rate R] [--var NAME=VALUE]\n"
           "\n"
           "Runs the scenarios in PATH (files, or folders searched recursively for *.json;\n"
           "*.env.json, *.mock.json, *.schema.json and names starting with '_' or '.' are\n"
           "skipped) as one QTest test with a data row per scenario. The exit code is the\n"
           "number of failed scenarios. Files read (scenarios, --env, schemas, files to send)\n"
           "must be regular files of at most 64 MiB.\n"
           "\n"
           "--serve serves a mock server file (docs/mock-server.md) on 127.0.0.1 until SIGINT\n"
           "or SIGTERM; the first line of stdout is its URL. --port N overrides the file's port\n"
           "(0: any free port); --var NAME=VALUE sets a variable its templates use.\n"
           "\n"
           "--proxy runs the intercepting proxy (docs/proxy.md, see --proxy --help): listens\n"
           "on LISTEN (127.0.0.1:8081) and forwards each WebSocket connection to TARGET.\n"
           "\n"
           "--export writes the scenario as an Artillery or k6 load test (see --export --help):\n"
           "--users N virtual users, started over --ramp D, for --duration D, at --arrival-rate R.\n"
           "\n"
           "Options:\n"
           "  --env FILE        variables from a JSON file of names and strings\n"
           "  --secret-env FILE the same, every value a secret: masked in logs and reports\n"
           "  --var NAME=VALUE  a variable (repeatable); wins over --env and the scenario\n"
           "  --timeout MS      each scenario's overall timeout, instead of its own\n"
           "  --jobs N          run N scenarios at once (default 1)\n"
           "  --fast            skip optional waits (the pauses of recorded sessions)\n"
           "  --with-demo       start the built-in demo server; its URL is {{demoUrl}}\n"
           "  --demo-port N     its port (default 0: any free port)\n"
           "  --log-dir DIR     write each client's frame log of each failing scenario to DIR\n"
           "                    (JSON Lines, secrets masked), attached to the JUnit report\n"
           "  --log-all         with --log-dir: the logs of passing scenarios too\n"
           "  --list            list the scenarios found, and any that cannot be read\n"
           "\n"
           "Load mode (one SCENARIO as many virtual users; see docs/load.md):\n"
           "  --users N         virtual users (default 1, or the file's load block)\n"
           "  --ramp D          start them evenly over D (e.g. 10s, 500ms, 2m)\n"
           "  --duration D      each user repeats the scenario until D after the ramp\n"
           "                    (default 60s)\n"
           "  --iterations N    each user runs it N times at most\n"
           "  --arrival-rate R  start R iterations a second instead (at most N at once)\n"
           "  --think D         pause between a user's iterations\n"
           "  --data FILE       CSV: a header of variable names, a row per iteration\n"
           "  --threshold EXPR  must hold at the end, e.g. 'p95<200', 'errors<1%',\n"
           "                    'connect p99<500', 'rate>100' (repeatable)\n"
           "  --load            run the file's load block as it is\n"
           "                    The exit code is the number of failed thresholds; with\n"
           "                    -o FILE,junitxml each threshold is a testcase.\n"
           "  --version         the version\n"
           "  --help            this text; QTest's own options: -help\n"
           "\n"
           "QTest options work unchanged, e.g.:\n"
           "  -o report.xml,junitxml -o -,txt    reports (txt, junitxml, tap, xml, csv, teamcity)\n"
           "  -v2                                 more detail\n"
           "  scenario:\"Echo\"                     only the scenario named Echo\n"
           "  -datatags                           list scenario rows\n";
}

bool parsePositiveInt(const QString &text, int *value)
{
    bool ok = false;
    const int parsed = text.toInt(&ok);
    if (!ok || parsed <= 0)
        return false;
    *value = parsed;
    return true;
}

bool parsePort(const QString &text, quint16 *port)
{
    bool ok = false;
    const uint parsed = text.toUInt(&ok);
    if (!ok || parsed > 65535)
        return false;
    *port = quint16(parsed);
    return true;
}

} // namespace

int runSuiteCommand(const QStringList &arguments)
{
    QTextStream err(stderr);
    QTextStream out(stdout);
    QStringList paths;
    QStringList qtestArguments = {arguments.value(0, u"wsprobe-run"_s)};
    QStringList envFiles;
    QStringList secretEnvFiles;
    QStringList assignments;
    SuiteOptions options;
    LoadOptions load;
    bool list = false;
    bool withDemo = false;
    std::optional<quint16> demoPort;  // any free port unless given

    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments[i];
        const auto needValue = [&](QString *value) {
            if (i + 1 >= arguments.size()) {
                err << "wsprobe-run: " << argument << " needs a value\n";
                return false;
            }
            *value = arguments[++i];
            return true;
        };
        QString value;
        QString loadError;
        if (const std::optional<bool> taken = LoadOptions::take(arguments, &i, &load, &loadError)) {
            if (!*taken) {
                err << "wsprobe-run: " << loadError << '\n';
                return UsageError;
            }
            continue;
        }
        if (argument == "--help"_L1 || argument == "-h"_L1) {
            out << usage();
            return 0;
        } else if (argument == "--version"_L1) {
            out << "wsprobe-run " << WSPROBE_VERSION << "\n";
            return 0;
        } else if (argument == "--env"_L1) {
            if (!needValue(&value))
                return UsageError;
            envFiles.append(value);
        } else if (argument == "--secret-env"_L1) {
            if (!needValue(&value))
                return UsageError;
            secretEnvFiles.append(value);
        } else if (argument == "--log-dir"_L1) {
            if (!needValue(&value) || value.isEmpty()) {
                err << "wsprobe-run: --log-dir needs a folder\n";
                return UsageError;
            }
            options.logDir = value;
        } else if (argument == "--log-all"_L1) {
            options.logAll = true;
        } else if (argument == "--var"_L1) {
            if (!needValue(&value))
                return UsageError;
            assignments.append(value);
        } else if (argument == "--timeout"_L1) {
            if (!needValue(&value) || !parsePositiveInt(value, &options.timeoutOverrideMs)) {
                err << "wsprobe-run: --timeout needs a number of milliseconds\n";
                return UsageError;
            }
        } else if (argument == "--jobs"_L1) {
            if (!needValue(&value) || !parsePositiveInt(value, &options.jobs)) {
                err << "wsprobe-run: --jobs needs a positive number\n";
                return UsageError;
            }
        } else if (argument == "--fast"_L1) {
            options.skipOptionalWaits = true;
        } else if (argument == "--with-demo"_L1) {
            withDemo = true;
        } else if (argument == "--demo-port"_L1) {
            demoPort = 0;
            if (!needValue(&value) || !parsePort(value, &*demoPort)) {
                err << "wsprobe-run: --demo-port needs a number from 0 to 65535\n";
                return UsageError;
            }
        } else if (argument == "--list"_L1) {
            list = true;
        } else if (qtestOptionsWithValue().count(argument)) {
            qtestArguments.append(argument);
            if (i + 1 < arguments.size())
                qtestArguments.append(arguments[++i]);
        } else if (!argument.startsWith(u'-') && QFileInfo::exists(argument)) {
            paths.append(argument);
        } else if (argument.startsWith(u"--"_s)) {
            err << "wsprobe-run: unknown option " << argument << "\n\n" << usage();
            return UsageError;
        } else {
            qtestArguments.append(argument);  // a QTest option or a test function / data tag
        }
    }
    if (options.logAll && options.logDir.isEmpty()) {
        err << "wsprobe-run: --log-all needs --log-dir\n";
        return UsageError;
    }
    if (paths.isEmpty()) {
        err << "wsprobe-run: give at least one scenario file or folder\n\n" << usage();
        return UsageError;
    }

    Variables variables;
    variables.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
    QList<JsonError> variableErrors;
    for (const QString &file : std::as_const(envFiles))
        VariableFile::load(file, Variables::Layer::EnvironmentFile, Variables::Secrecy::ByName, &variables, &variableErrors);
    for (const QString &file : std::as_const(secretEnvFiles))
        VariableFile::load(file, Variables::Layer::EnvironmentFile, Variables::Secrecy::Secret, &variables, &variableErrors);
    for (const QString &assignment : std::as_const(assignments)) {
        const qsizetype equals = assignment.indexOf(u'=');
        if (equals <= 0 || !variables.set(Variables::Layer::CommandLine, assignment.left(equals), assignment.mid(equals + 1))) {
            err << "wsprobe-run: --var needs NAME=VALUE with a valid name, got \"" << assignment << "\"\n";
            return UsageError;
        }
    }
    // The demo server runs on a thread of its own, so a /flood never slows the runners down.
    DemoServerThread demo;
    if (withDemo) {
        if (!demo.start(demoPort.value_or(0))) {
            err << "wsprobe-run: the demo server could not start: " << demo.errorString() << '\n';
            return UsageError;
        }
        // Built in: a name defined anywhere else (--var, --env, the scenario) wins.
        variables.set(Variables::Layer::BuiltIn, Variables::DemoUrl.toString(), demo.url().toString());
    } else if (demoPort) {
        err << "wsprobe-run: --demo-port goes with --with-demo\n";
        return UsageError;
    }
    if (!variableErrors.isEmpty()) {
        for (const JsonError &error : std::as_const(variableErrors))
            err << error.toString() << '\n';
        return UsageError;
    }

    if (load.any()) {
        if (paths.size() != 1 || !QFileInfo(paths.first()).isFile()) {
            err << "wsprobe-run: a load run takes one scenario file\n";
            return UsageError;
        }
        if (options.jobs != 1 || list || !options.logDir.isEmpty()) {
            err << "wsprobe-run: --jobs, --list and --log-dir do not go with a load run\n";
            return UsageError;
        }
        return runLoadCommand(paths.first(), load, variables, options.timeoutOverrideMs, qtestArguments);
    }

    QStringList problems;
    const QStringList files = ScenarioLoader::findFiles(paths, &problems);
    for (const QString &problem : std::as_const(problems))
        err << "wsprobe-run: " << problem << '\n';
    if (!problems.isEmpty())
        return UsageError;

    QList<SuiteEntry> entries;
    for (const QString &file : files) {
        SuiteEntry entry;
        entry.path = file;
        ScenarioLoader::Result loaded = ScenarioLoader::loadFile(file);
        entry.scenario = std::move(loaded.scenario);
        entry.loadError = loaded.errorText();
        entries.append(std::move(entry));
    }
    assignRowNames(entries);

    if (list) {
        int broken = 0;
        for (const SuiteEntry &entry : std::as_const(entries)) {
            if (entry.scenario) {
                out << entry.rowName << "\t" << entry.path << '\n';
            } else {
                out << "(cannot be read)\t" << entry.path << '\n';
                err << entry.loadError << '\n';
                ++broken;
            }
        }
        return broken;
    }
    if (entries.isEmpty()) {
        err << "wsprobe-run: no scenario found in " << paths.join(u", "_s) << '\n';
        return UsageError;
    }

    ScenarioSuite suite(std::move(entries), std::move(variables), options);
    return QTest::qExec(&suite, qtestArguments);
}

} // namespace wsprobe
