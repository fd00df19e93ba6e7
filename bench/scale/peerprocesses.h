#pragma once

#include "peerfigures.h"

#include <QJsonArray>
#include <QList>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>

namespace wsprobe::bench {

// A Node.js that loads Debian's node-ws (NODE_PATH=/usr/share/nodejs): `node` on PATH may be
// another build that does not look there.
class NodeRuntime
{
public:
    // program: the one to use, else node, then nodejs on PATH.
    bool find(const QString &program, QString *error);
    QString program() const { return m_program; }
    QString version() const { return m_version; }
    QString wsVersion() const { return m_wsVersion; }
    QProcessEnvironment environment() const { return m_environment; }

private:
    QString m_program;
    QString m_version;
    QString m_wsVersion;
    QProcessEnvironment m_environment;
};

// Runs `program arguments` through /bin/sh with the soft open-file limit raised to the hard
// one first: a peer holding ten thousand sockets needs more than the usual 1024.
void startWithRaisedFileLimit(QProcess &process, const QString &program, const QStringList &arguments);

// echo_server.js in a child process, one port per peer.
class EchoServer
{
public:
    ~EchoServer();
    bool start(const NodeRuntime &node, const QString &script, int ports, QString *error);
    quint16 port(int index) const { return m_ports.value(index); }
    // Per port: {port, open, accepted, received}; empty when the server does not answer.
    QJsonArray stats();
    void stop();

private:
    QProcess m_process;
    QList<quint16> m_ports;
};

struct PeerLoad
{
    QString url;
    int sessions = 0;
    int concurrency = 0;
    int holdSeconds = 0;
    int messages = 0;
    QString payload;
    int timeoutMs = 0;
};

// The Node `ws` client doing what the engine does (node_client.js).
PeerFigures runNodeClient(const NodeRuntime &node, const QString &script, const PeerLoad &load);

// An Artillery ws scenario of the same shape: users arriving at arrivalRate a second, each
// connecting, sending its messages and leaving. Its CPU is that of the child (getrusage of the
// waited-for children), startup included; the messages are those the server received.
PeerFigures runArtillery(const QString &artillery, const NodeRuntime &node, EchoServer &server,
                         int portIndex, const PeerLoad &load, int arrivalRate);

} // namespace wsprobe::bench
