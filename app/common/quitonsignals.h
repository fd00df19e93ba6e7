#pragma once

#include <QObject>
#include <QString>

#include <signal.h>

class QSocketNotifier;

namespace wsprobe {

// Turns SIGINT and SIGTERM into quitRequested(), delivered by the event loop, so a program
// stops the way its own Quit does (settings written, connections closed, exit status 0)
// instead of dying in the middle of whatever it was doing.
class QuitOnSignals : public QObject
{
    Q_OBJECT

public:
    explicit QuitOnSignals(QObject *parent = nullptr);
    // Puts back the handlers that were there before install().
    ~QuitOnSignals() override;

    // False, with errorString(), if the socket pair or a handler cannot be set up, or another
    // QuitOnSignals is installed already (a signal handler can serve one of them only).
    bool install();
    QString errorString() const { return m_errorString; }

Q_SIGNALS:
    // After the first signal the handlers from before install() are back (by default the
    // system's): a second Ctrl+C ends a program that hangs while quitting.
    void quitRequested(int signalNumber);

private:
    void onActivated();
    void restoreHandlers();

    int m_readFd = -1;
    int m_writeFd = -1;
    QSocketNotifier *m_notifier = nullptr;  // Owned (child).
    struct sigaction m_previousInt = {};
    struct sigaction m_previousTerm = {};
    bool m_handlersInstalled = false;
    QString m_errorString;
};

} // namespace wsprobe
