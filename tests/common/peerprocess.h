#pragma once

#include <QObject>
#include <QProcess>
#include <QString>
#include <QUrl>

namespace wsprobe {

// Runs one of the third-party WebSocket servers kept in tests/peers (Node `ws`, Python
// `websockets`) on 127.0.0.1 for an integration test, and says where it listens.
//
// The interpreter is looked for the way a machine may be set up (Debian packages, nvm, pyenv)
// and checked to load its WebSocket library. When nothing fits, start() fails with an
// errorString() that says what to install: tests QFAIL with it rather than skip.
class PeerProcess : public QObject
{
    Q_OBJECT

public:
    enum class Kind { Node, Python };
    Q_ENUM(Kind)

    explicit PeerProcess(QObject *parent = nullptr);
    // Stops the peer.
    ~PeerProcess() override;

    // Starts the peer and waits (at most timeoutMs) for it to report its port. Stops a peer
    // already running first.
    bool start(Kind kind, int timeoutMs = 10000);
    // The same for another script of the same protocol ({"port": N} on stdout, leaves when
    // stdin closes), e.g. the example servers in tests/examples.
    bool start(Kind kind, const QString &script, const QStringList &arguments, int timeoutMs = 10000);
    // Closes the peer's stdin, then terminates and at last kills it; bounded to a few seconds.
    void stop();

    bool isRunning() const;
    Kind kind() const { return m_kind; }
    quint16 port() const { return m_port; }
    // ws://127.0.0.1:<port><path>; path may carry a query: u"/close?code=4001"_s.
    QUrl url(const QString &path) const;
    QString errorString() const { return m_errorString; }
    // What the peer wrote to stderr so far, for a failure message.
    QString standardError() const { return QString::fromUtf8(m_stderr); }

    // "node" or "python": a row name for data-driven tests.
    static QString name(Kind kind);
    // The source tree: $WSPROBE_SOURCE_DIR, else the path compiled in.
    static QString sourceDir();

    // An interpreter that loads the peer's WebSocket library, with the environment it needs
    // (NODE_PATH for Debian's ws): also what tests that run their own client scripts start.
    struct Interpreter
    {
        QString program;
        QProcessEnvironment environment;
    };

    // Empty program and *error set when no interpreter can run the peer.
    static Interpreter findInterpreter(Kind kind, int timeoutMs, QString *error);

private:
    static Interpreter findNode(int timeoutMs, QString *error);
    static Interpreter findPython(int timeoutMs, QString *error);
    // Runs program with args and reports whether it exited with 0; *output gets stdout+stderr.
    static bool probe(const QString &program, const QStringList &args,
                      const QProcessEnvironment &environment, int timeoutMs, QString *output);
    static QString scriptPath(Kind kind);

    bool fail(const QString &message);
    void forwardStandardError();

    QProcess *m_process = nullptr;  // Owned (child), one per start().
    QByteArray m_stderr;
    QString m_errorString;
    Kind m_kind = Kind::Node;
    quint16 m_port = 0;
};

} // namespace wsprobe
