#include "servecommand.h"

#include "mockscriptreader.h"
#include "mockserver.h"
#include "quitonsignals.h"
#include "variables.h"

#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

enum ExitCode { Success = 0, Failure = 1, Usage = 2 };

} // namespace

int runServeCommand(QCoreApplication &app, const QStringList &arguments)
{
    QTextStream err(stderr);
    QString file;
    std::optional<quint16> port;
    Variables variables;
    variables.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
    if (arguments.contains(u"--help"_s) || arguments.contains(u"-h"_s)) {
        QTextStream(stdout)
                << "Usage: wsprobe-run --serve MOCK.mock.json [--port N] [--var NAME=VALUE]...\n"
                   "\n"
                   "Serves a mock server file on 127.0.0.1 until SIGINT or SIGTERM; the first line\n"
                   "of stdout is its URL.\n"
                   "\n"
                   "Options:\n"
                   "  --port N          the port instead of the file's (0: any free port)\n"
                   "  --var NAME=VALUE  a variable for the file's templates (repeatable)\n"
                   "  --help            this text\n";
        return Success;
    }
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments[i];
        const bool hasValue = i + 1 < arguments.size();
        if (argument == "--serve"_L1 && hasValue && file.isEmpty()) {
            file = arguments[++i];
        } else if (argument == "--port"_L1 && hasValue) {
            bool ok = false;
            const uint value = arguments[++i].toUInt(&ok);
            if (!ok || value > 65535) {
                err << "wsprobe-run: --port needs a number from 0 to 65535, got " << arguments[i]
                    << Qt::endl;
                return Usage;
            }
            port = quint16(value);
        } else if (argument == "--var"_L1 && hasValue) {
            const QString assignment = arguments[++i];
            const qsizetype equals = assignment.indexOf(u'=');
            if (equals <= 0
                || !variables.set(Variables::Layer::CommandLine, assignment.left(equals),
                                  assignment.mid(equals + 1))) {
                err << "wsprobe-run: --var needs NAME=VALUE with a valid name, got \""
                    << assignment << "\"" << Qt::endl;
                return Usage;
            }
        } else {
            err << "wsprobe-run: --serve takes a mock server file and --port N or --var NAME=VALUE,"
                   " not " << argument << Qt::endl;
            return Usage;
        }
    }

    QList<JsonError> errors;
    std::optional<MockScript> script = MockScriptReader::readFile(file, &errors);
    if (!script) {
        for (const JsonError &error : std::as_const(errors))
            err << error.toString() << Qt::endl;
        return Failure;
    }
    MockServer server(std::move(*script));
    server.setVariables(variables);
    if (!server.listen(port)) {
        err << "wsprobe-run: cannot start the mock server: " << server.errorString() << Qt::endl;
        return Failure;
    }
    QuitOnSignals quitOnSignals;
    if (!quitOnSignals.install()) {
        err << "wsprobe-run: cannot handle SIGINT and SIGTERM: " << quitOnSignals.errorString()
            << Qt::endl;
        return Failure;
    }
    QObject::connect(&quitOnSignals, &QuitOnSignals::quitRequested, &app, &QCoreApplication::quit);
    // The first line of stdout is the contract with scripts and tests: flush it at once.
    QTextStream(stdout) << server.url().toString() << Qt::endl;
    for (const MockRoute &route : server.script().routes)
        err << "wsprobe-run: serving " << server.url().toString() << route.path << Qt::endl;
    const int code = app.exec();
    server.close();
    return code;
}

} // namespace wsprobe
