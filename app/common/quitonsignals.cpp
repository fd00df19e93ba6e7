#include "quitonsignals.h"

#include <QSocketNotifier>

#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// The write end of the installed QuitOnSignals' socket pair. The one piece of global state
// here, because a POSIX signal handler is given nothing but the signal number; and the
// handler may only call async-signal-safe functions, so it writes one byte and returns.
volatile sig_atomic_t signalWriteFd = -1;

void onQuitSignal(int signalNumber)
{
    const int savedErrno = errno;
    const char byte = char(signalNumber);
    [[maybe_unused]] const auto written = ::write(signalWriteFd, &byte, 1);
    errno = savedErrno;
}

} // namespace

QuitOnSignals::QuitOnSignals(QObject *parent) : QObject(parent) {}

QuitOnSignals::~QuitOnSignals()
{
    restoreHandlers();
    if (signalWriteFd == m_writeFd)
        signalWriteFd = -1;
    delete m_notifier;
    if (m_readFd >= 0)
        ::close(m_readFd);
    if (m_writeFd >= 0)
        ::close(m_writeFd);
}

bool QuitOnSignals::install()
{
    if (m_writeFd >= 0 || signalWriteFd != -1) {
        m_errorString = u"the quit signals are handled already"_s;
        return false;
    }
    int fds[2];
    // Non-blocking: the handler must never wait, whatever the event loop is doing.
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds) != 0) {
        m_errorString = QString::fromLocal8Bit(std::strerror(errno));
        return false;
    }
    m_readFd = fds[1];
    m_writeFd = fds[0];
    m_notifier = new QSocketNotifier(m_readFd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &QuitOnSignals::onActivated);
    signalWriteFd = m_writeFd;

    struct sigaction action = {};
    action.sa_handler = onQuitSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    if (::sigaction(SIGINT, &action, &m_previousInt) != 0
        || ::sigaction(SIGTERM, &action, &m_previousTerm) != 0) {
        m_errorString = QString::fromLocal8Bit(std::strerror(errno));
        ::sigaction(SIGINT, &m_previousInt, nullptr);
        return false;
    }
    m_handlersInstalled = true;
    return true;
}

void QuitOnSignals::onActivated()
{
    char bytes[16];
    ssize_t count = 0;
    int signalNumber = 0;
    while ((count = ::read(m_readFd, bytes, sizeof bytes)) > 0)
        signalNumber = bytes[count - 1];
    if (signalNumber == 0)
        return;
    restoreHandlers();
    Q_EMIT quitRequested(signalNumber);
}

void QuitOnSignals::restoreHandlers()
{
    if (!m_handlersInstalled)
        return;
    m_handlersInstalled = false;
    ::sigaction(SIGINT, &m_previousInt, nullptr);
    ::sigaction(SIGTERM, &m_previousTerm, nullptr);
}

} // namespace wsprobe
