#include "mockclientprocess.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

namespace wsprobe {

MockClientProcess::MockClientProcess()
{
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process, [this] {
        while (m_process.canReadLine()) {
            const QJsonObject event = QJsonDocument::fromJson(m_process.readLine()).object();
            if (!event.isEmpty())
                m_events.append(event);
        }
    });
}

MockClientProcess::~MockClientProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

bool MockClientProcess::start(PeerProcess::Kind kind, const QUrl &url, const QStringList &options,
                              QString *error)
{
    const PeerProcess::Interpreter interpreter = PeerProcess::findInterpreter(kind, 10000, error);
    if (interpreter.program.isEmpty())
        return false;
    const QString script = PeerProcess::sourceDir()
            + (kind == PeerProcess::Kind::Node ? u"/tests/app/mock_client.js"_s
                                               : u"/tests/app/mock_client.py"_s);
    m_process.setProcessEnvironment(interpreter.environment);
    m_process.start(interpreter.program, QStringList{script, url.toString()} + options);
    if (!m_process.waitForStarted(10000)) {
        *error = m_process.errorString();
        return false;
    }
    return true;
}

void MockClientProcess::send(const QString &line)
{
    m_process.write(line.toUtf8() + '\n');
}

int MockClientProcess::waitFor(const QString &kind, int from, int timeoutMs)
{
    int found = -1;
    const bool seen = QTest::qWaitFor(
            [&] {
                for (int i = from; i < m_events.size() && found < 0; ++i)
                    if (m_events.at(i).value(u"event"_s).toString() == kind)
                        found = i;
                return found >= 0;
            },
            timeoutMs);
    return seen ? found : -1;
}

QStringList MockClientProcess::messages() const
{
    QStringList result;
    for (const QJsonObject &event : m_events)
        if (event.value(u"event"_s).toString() == "message"_L1)
            result.append(event.value(u"data"_s).toString());
    return result;
}

QString MockClientProcess::transcript()
{
    QStringList lines;
    for (const QJsonObject &event : std::as_const(m_events))
        lines.append(QString::fromUtf8(QJsonDocument(event).toJson(QJsonDocument::Compact)));
    return lines.join(u'\n') + u"\nstderr: "_s + QString::fromUtf8(m_process.readAllStandardError());
}

} // namespace wsprobe
