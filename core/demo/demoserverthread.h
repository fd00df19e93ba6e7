#pragma once

#include <QObject>
#include <QString>
#include <QThread>
#include <QUrl>

namespace wsprobe {

class DemoServer;

// Runs a DemoServer on a thread of its own, so a /flood keeps the GUI's event loop free.
class DemoServerThread : public QObject
{
    Q_OBJECT

public:
    explicit DemoServerThread(QObject *parent = nullptr);
    // Stops the server and joins the thread.
    ~DemoServerThread() override;

    enum class WhenTaken { Fail, TakeAnyFreePort };
    // Blocks until the server listens on 127.0.0.1 (port 0: any free port) or has failed. With
    // TakeAnyFreePort a port that cannot be had is replaced by any free one, and notice() says so.
    bool start(quint16 port = 0, WhenTaken whenTaken = WhenTaken::Fail);
    void stop();
    bool isRunning() const { return m_server != nullptr; }
    // ws://127.0.0.1:<port>; empty unless running.
    QUrl url() const { return m_url; }
    QString errorString() const { return m_errorString; }
    // Why the server is not on the port asked for ("" when it is): for the log and the status.
    QString notice() const { return m_notice; }

private:
    bool listenOn(quint16 port);
    void stopThread();

    QThread m_thread;
    QObject *m_anchor = nullptr;      // Owned; lives in m_thread, deleted there when it ends.
    DemoServer *m_server = nullptr;   // Owned by m_anchor (child); touched only in m_thread.
    QUrl m_url;
    QString m_errorString;
    QString m_notice;
};

} // namespace wsprobe
