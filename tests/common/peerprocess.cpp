#include "peerprocess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QMutexLocker>
#include <QStandardPaths>
#include <QtDebug>

using namespace Qt::StringLiterals;

namespace wsprobe {

namespace {

// Where Debian installs node-ws; a node built elsewhere (nvm, nodesource) does not look there.
constexpr auto DebianNodePath = "/usr/share/nodejs"_L1;
// Debian's python3-websockets is installed for this interpreter only; a pyenv or venv python3
// earlier on PATH usually lacks it.
constexpr auto DebianPython = "/usr/bin/python3"_L1;

constexpr int StopGraceMs = 2000;

QStringList uniqueExisting(const QStringList &programs)
{
    QStringList result;
    for (const QString &program : programs) {
        if (!program.isEmpty() && QFileInfo(program).isExecutable() && !result.contains(program))
            result.append(program);
    }
    return result;
}

QString indented(const QString &text)
{
    QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return {};
    return u"\n    "_s + trimmed.replace(u'\n', u"\n    "_s);
}

} // namespace

PeerProcess::PeerProcess(QObject *parent)
    : QObject(parent)
{
}

PeerProcess::~PeerProcess()
{
    stop();
}

QString PeerProcess::name(Kind kind)
{
    switch (kind) {
    case Kind::Node:
        return u"node"_s;
    case Kind::Python:
        return u"python"_s;
    }
    return {};
}

QString PeerProcess::sourceDir()
{
    const QString fromEnvironment = qEnvironmentVariable("WSPROBE_SOURCE_DIR");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
#ifdef WSPROBE_SOURCE_DIR
    return QString::fromUtf8(WSPROBE_SOURCE_DIR);
#else
    return {};
#endif
}

QString PeerProcess::scriptPath(Kind kind)
{
    const QDir peers(sourceDir() + u"/tests/peers"_s);
    return peers.filePath(kind == Kind::Node ? u"node_server.js"_s : u"python_server.py"_s);
}

bool PeerProcess::probe(const QString &program, const QStringList &args,
                        const QProcessEnvironment &environment, int timeoutMs, QString *output)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(program, args);
    if (!process.waitForStarted(timeoutMs)) {
        *output = process.errorString();
        return false;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(1000);
        *output = u"timed out after %1 ms"_s.arg(timeoutMs);
        return false;
    }
    *output = QString::fromLocal8Bit(process.readAll());
    return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

PeerProcess::Interpreter PeerProcess::findNode(int timeoutMs, QString *error)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QString nodePath = DebianNodePath;
    const QString existing = environment.value(u"NODE_PATH"_s);
    if (!existing.isEmpty())
        nodePath += QDir::listSeparator() + existing;
    environment.insert(u"NODE_PATH"_s, nodePath);

    const QStringList candidates = uniqueExisting({QStandardPaths::findExecutable(u"node"_s),
                                                   QStandardPaths::findExecutable(u"nodejs"_s)});
    if (candidates.isEmpty()) {
        *error = u"Node.js was not found on PATH (tried node and nodejs): install the nodejs "
                 "and node-ws packages (apt install nodejs node-ws)."_s;
        return {};
    }

    // node_server.js uses the WebSocketServer name that ws 8 introduced.
    const QStringList args = {u"-e"_s,
                              u"const ws = require('ws');"
                              " if (typeof ws.WebSocketServer !== 'function') {"
                              "  console.error('ws is too old: version 8 or later is needed');"
                              "  process.exit(2); }"_s};
    QString failures;
    for (const QString &program : candidates) {
        QString output;
        if (probe(program, args, environment, timeoutMs, &output))
            return {program, environment};
        failures += u"\n  %1: %2"_s.arg(program, indented(output));
    }
    *error = u"No Node.js on PATH can load the 'ws' module (NODE_PATH=%1): install node-ws "
             "(apt install node-ws), or put ws 8+ on NODE_PATH.%2"_s.arg(nodePath, failures);
    return {};
}

PeerProcess::Interpreter PeerProcess::findPython(int timeoutMs, QString *error)
{
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QStringList candidates =
            uniqueExisting({DebianPython, QStandardPaths::findExecutable(u"python3"_s)});
    if (candidates.isEmpty()) {
        *error = u"Python 3 was not found (tried /usr/bin/python3 and python3 on PATH): install "
                 "the python3 and python3-websockets packages (apt install python3-websockets)."_s;
        return {};
    }

    // python_server.py needs websockets.broadcast and process_request, both from 10.0 on.
    const QStringList args = {u"-c"_s,
                              u"import sys, websockets; v = websockets.__version__;"
                              " sys.exit(0 if int(v.split('.')[0]) >= 10 else"
                              " f'websockets {v} is too old: version 10 or later is needed')"_s};
    QString failures;
    for (const QString &program : candidates) {
        QString output;
        if (probe(program, args, environment, timeoutMs, &output))
            return {program, environment};
        failures += u"\n  %1: %2"_s.arg(program, indented(output));
    }
    *error = u"No Python 3 can import the 'websockets' module: install python3-websockets "
             "(apt install python3-websockets), or pip install websockets.%1"_s.arg(failures);
    return {};
}

PeerProcess::Interpreter PeerProcess::findInterpreter(Kind kind, int timeoutMs, QString *error)
{
    // Probing costs a process start or two; a test starts many peers of the same kind.
    static QMutex mutex;
    static QHash<int, Interpreter> found;
    QMutexLocker locker(&mutex);
    const auto it = found.constFind(int(kind));
    if (it != found.cend())
        return *it;

    Interpreter interpreter =
            kind == Kind::Node ? findNode(timeoutMs, error) : findPython(timeoutMs, error);
    if (!interpreter.program.isEmpty())
        found.insert(int(kind), interpreter);
    return interpreter;
}

bool PeerProcess::fail(const QString &message)
{
    m_errorString = u"%1 peer: %2"_s.arg(name(m_kind), message);
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(1000);
        delete m_process;
        m_process = nullptr;
    }
    m_port = 0;
    return false;
}

bool PeerProcess::start(Kind kind, int timeoutMs)
{
    return start(kind, scriptPath(kind), {}, timeoutMs);
}

bool PeerProcess::start(Kind kind, const QString &script, const QStringList &arguments, int timeoutMs)
{
    stop();
    m_kind = kind;
    m_port = 0;
    m_stderr.clear();
    m_errorString.clear();

    const QDeadlineTimer deadline(timeoutMs);
    if (!QFileInfo::exists(script)) {
        return fail(u"script %1 not found: set WSPROBE_SOURCE_DIR to the wsprobe source tree."_s
                            .arg(script));
    }

    QString error;
    const Interpreter interpreter = findInterpreter(kind, timeoutMs, &error);
    if (interpreter.program.isEmpty())
        return fail(error);

    m_process = new QProcess(this);
    m_process->setProcessEnvironment(interpreter.environment);
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    connect(m_process, &QProcess::readyReadStandardError, this,
            &PeerProcess::forwardStandardError);
    m_process->start(interpreter.program, QStringList{script} + arguments);
    if (!m_process->waitForStarted(int(deadline.remainingTime())))
        return fail(u"cannot run %1: %2"_s.arg(interpreter.program, m_process->errorString()));

    QByteArray output;
    while (!output.contains('\n')) {
        if (!m_process->waitForReadyRead(int(deadline.remainingTime()))) {
            output += m_process->readAllStandardOutput();
            if (output.contains('\n'))
                break;
            forwardStandardError();
            if (m_process->state() == QProcess::NotRunning) {
                return fail(u"%1 %2 exited (code %3) before reporting its port.%4"_s.arg(
                        interpreter.program, script, QString::number(m_process->exitCode()),
                        indented(standardError())));
            }
            return fail(u"%1 %2 did not report its port within %3 ms.%4"_s.arg(
                    interpreter.program, script, QString::number(timeoutMs),
                    indented(standardError())));
        }
        output += m_process->readAllStandardOutput();
    }

    const QByteArray line = output.left(output.indexOf('\n')).trimmed();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    const int port = document.object().value(u"port"_s).toInt(0);
    if (port <= 0 || port > 65535) {
        return fail(u"expected {\"port\": N} on the first line, got \"%1\".%2"_s.arg(
                QString::fromUtf8(line), indented(standardError())));
    }
    m_port = quint16(port);

    connect(m_process, &QProcess::finished, this, [this](int exitCode) {
        qWarning("%s peer exited while in use (code %d)", qUtf8Printable(name(m_kind)), exitCode);
    });
    return true;
}

void PeerProcess::stop()
{
    if (!m_process)
        return;
    m_process->disconnect(this);
    if (m_process->state() != QProcess::NotRunning) {
        // Both peers leave when stdin closes; SIGTERM and SIGKILL are for a peer that hangs.
        m_process->closeWriteChannel();
        if (!m_process->waitForFinished(StopGraceMs)) {
            m_process->terminate();
            if (!m_process->waitForFinished(StopGraceMs)) {
                m_process->kill();
                m_process->waitForFinished(StopGraceMs);
            }
        }
    }
    m_stderr += m_process->readAllStandardError();
    delete m_process;
    m_process = nullptr;
    m_port = 0;
}

bool PeerProcess::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running && m_port != 0;
}

QUrl PeerProcess::url(const QString &path) const
{
    QUrl url;
    url.setScheme(u"ws"_s);
    url.setHost(u"127.0.0.1"_s);
    url.setPort(m_port);
    const qsizetype question = path.indexOf(u'?');
    url.setPath(question < 0 ? path : path.left(question));
    if (question >= 0)
        url.setQuery(path.mid(question + 1));
    return url;
}

void PeerProcess::forwardStandardError()
{
    if (!m_process)
        return;
    const QByteArray chunk = m_process->readAllStandardError();
    if (chunk.isEmpty())
        return;
    m_stderr += chunk;
    // Shown as it comes, so a peer's stack trace sits next to the test that caused it.
    const QList<QByteArray> lines = chunk.trimmed().split('\n');
    for (const QByteArray &line : lines)
        qInfo("[%s peer] %s", qUtf8Printable(name(m_kind)), line.constData());
}

} // namespace wsprobe
