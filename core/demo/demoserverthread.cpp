#include "demoserverthread.h"

#include "demoserver.h"

using namespace Qt::StringLiterals;

namespace wsprobe {

DemoServerThread::DemoServerThread(QObject *parent) : QObject(parent)
{
    m_thread.setObjectName(u"wsprobe-demo-server"_s);
}

DemoServerThread::~DemoServerThread()
{
    stop();
}

bool DemoServerThread::start(quint16 port, WhenTaken whenTaken)
{
    if (isRunning()) {
        m_errorString = u"The demo server is already running at %1."_s.arg(m_url.toString());
        return false;
    }
    m_notice.clear();
    // The server and its sockets must be created, used and destroyed in the thread whose event
    // loop drives them; the anchor is the object through which we reach into that thread.
    m_anchor = new QObject;
    m_anchor->moveToThread(&m_thread);
    // Objects left in a finished thread are deleted by its last round of deferred deletes.
    connect(&m_thread, &QThread::finished, m_anchor, &QObject::deleteLater);
    m_thread.start();

    bool listening = listenOn(port);
    if (!listening && port != 0 && whenTaken == WhenTaken::TakeAnyFreePort) {
        const QString why = m_errorString;
        listening = listenOn(0);
        if (listening) {
            m_notice = u"The demo server could not have port %1 (%2): it listens on %3 instead."_s
                           .arg(port)
                           .arg(why, m_url.toString());
        }
    }
    if (!listening) {
        stopThread();
        return false;
    }
    return true;
}

bool DemoServerThread::listenOn(quint16 port)
{
    bool listening = false;
    QUrl url;
    QString error;
    DemoServer *server = nullptr;
    QMetaObject::invokeMethod(
            m_anchor,
            [&] {
                server = new DemoServer(m_anchor);
                listening = server->listen(QHostAddress::LocalHost, port);
                url = server->url();
                error = server->errorString();
                if (!listening)
                    delete server;
            },
            Qt::BlockingQueuedConnection);

    m_url = listening ? url : QUrl();
    m_errorString = error;
    m_server = listening ? server : nullptr;
    return listening;
}

void DemoServerThread::stop()
{
    if (!m_thread.isRunning())
        return;
    m_server = nullptr;
    m_url.clear();
    stopThread();
}

void DemoServerThread::stopThread()
{
    m_thread.quit();
    m_thread.wait();
    m_anchor = nullptr;  // deleted, with the server, as the thread finished
}

} // namespace wsprobe
