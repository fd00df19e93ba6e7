#pragma once

#include "receiverresult.h"

#include <QList>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace wsprobe::bench {

// One flood the receivers are measured on.
struct Workload
{
    QString name;
    QString kind;         // text or binary
    qint64 messages = 0;
    qint64 payloadBytes = 0;
};

// The benchmark itself: starts the flood server once, then, round after round, runs each
// receiver in its own process on each workload, and prints the medians and their ratios.
class BenchDriver
{
public:
    struct Options
    {
        QString selfPath;     // this executable: the engine, bare and raw receivers
        QString scriptDir;    // flood_server.js and node_client.js
        QString nodeProgram;  // empty: node, else nodejs, from PATH
        int rounds = 3;
        qint64 textMessages = 500'000;
        qint64 binaryMessages = 200'000;
        int clientTimeoutMs = 120'000;
        bool withRaw = true;  // also measure the server's ceiling
        qint64 logBudgetMiB = 0;  // the engine log's LogMemoryBudget; 0: none
    };

    explicit BenchDriver(const Options &options);
    ~BenchDriver();

    // Returns the process exit code: 0 when every run of every receiver succeeded.
    int run();

private:
    bool findNode(QString *error);
    bool startServer(QString *error);
    void stopServer();
    QString urlFor(const Workload &workload) const;
    ReceiverResult runReceiver(const QString &receiver, const Workload &workload);

    Options m_options;
    QString m_node;
    QString m_nodeVersion;
    QString m_wsVersion;
    QProcessEnvironment m_nodeEnvironment;
    QProcess m_server;
    quint16 m_port = 0;
};

} // namespace wsprobe::bench
