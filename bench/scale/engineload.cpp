#include "engineload.h"

#include "processstats.h"

#include <clock.h>
#include <sessionmanager.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <vector>

using namespace Qt::StringLiterals;

namespace wsprobe::bench {
namespace {

// Turns the event loop until done() or the timeout; false on the timeout. A timer wakes the loop
// so done() is checked even when nothing else happens, without spinning a core.
bool waitUntil(const std::function<bool()> &done, qint64 timeoutMs)
{
    QTimer tick;
    tick.start(20);
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

enum class Slot : quint8 { Waiting, Connecting, Open, Failed, Dropped };

} // namespace

EngineLoad::EngineLoad(const Options &options)
    : m_options(options)
{
}

PeerFigures EngineLoad::run(const std::function<void(const QString &)> &progress)
{
    PeerFigures figures;
    figures.peer = u"engine"_s;
    figures.sessions = m_options.sessions;

    auto manager = std::make_unique<SessionManager>();
    manager->logMemoryBudget();  // made with the manager: part of "before"
    std::vector<Slot> slots(std::size_t(m_options.sessions), Slot::Waiting);
    std::vector<Session *> sessions;
    sessions.reserve(slots.size());
    qint64 pending = 0;
    qint64 echoes = 0;
    bool counting = false;  // during the message phase: the echoes are counted
    bool closing = false;   // from closeAll() on, a close is ours, not a drop
    std::size_t started = 0;

    SessionSettings settings;  // as the window opens one: the log keeps every event
    settings.url = m_options.url;

    std::function<void()> openNext;
    openNext = [&] {
        while (pending < m_options.concurrency && started < slots.size()) {
            const std::size_t index = started++;
            Session *session = manager->createSession(settings);
            sessions.push_back(session);
            slots[index] = Slot::Connecting;
            ++pending;
            QObject::connect(session, &Session::opened, session, [&, index] {
                if (slots[index] != Slot::Connecting)
                    return;
                slots[index] = Slot::Open;
                --pending;
                ++figures.connected;
                openNext();
            });
            QObject::connect(session, &Session::closed, session, [&, index] {
                if (slots[index] == Slot::Connecting) {
                    slots[index] = Slot::Failed;
                    --pending;
                    ++figures.failed;
                    openNext();
                } else if (slots[index] == Slot::Open && !closing) {
                    slots[index] = Slot::Dropped;
                    ++figures.dropped;
                }
            });
            FrameLog *log = session->log();
            QObject::connect(log, &FrameLog::eventsAppended, session,
                             [&, log](qint64 first, qint64 end) {
                if (!counting)
                    return;
                for (qint64 sequence = first; sequence < end; ++sequence) {
                    const FrameEvent event = log->headerAt(sequence);
                    if (event.direction == Direction::Incoming && event.isMessage())
                        ++echoes;
                }
            });
            session->open();
        }
    };

    // Connect.
    figures.rssBeforeKiB = residentKiB();
    progress(u"engine: opening %1 sessions, at most %2 connecting at once"_s
                 .arg(m_options.sessions).arg(m_options.concurrency));
    const qint64 connectStart = monotonicNowNs();
    openNext();
    const bool allTried = waitUntil([&] { return pending == 0 && started == slots.size(); },
                                    m_options.phaseTimeoutMs);
    figures.connectSeconds = double(monotonicNowNs() - connectStart) / 1e9;
    figures.rssAfterKiB = residentKiB();
    if (!allTried)
        figures.note = u"connects still pending after %1 ms"_s.arg(m_options.phaseTimeoutMs);

    // Hold.
    progress(u"engine: %1 open (%2 failed) in %3 s; holding %4 s"_s
                 .arg(figures.connected).arg(figures.failed)
                 .arg(figures.connectSeconds, 0, 'f', 1).arg(m_options.holdSeconds));
    QElapsedTimer hold;
    hold.start();
    waitUntil([&] { return hold.elapsed() >= qint64(m_options.holdSeconds) * 1000; },
              qint64(m_options.holdSeconds) * 1000 + 1000);
    figures.rssAfterHoldKiB = residentKiB();

    // Messages: every open session sends all of its own at once, as the Node client does.
    qint64 sent = 0;
    counting = true;
    const double cpuStart = cpuSecondsSelf();
    const qint64 sendStart = monotonicNowNs();
    for (std::size_t index = 0; index < slots.size(); ++index) {
        if (slots[index] != Slot::Open)
            continue;
        for (int message = 0; message < m_options.messages; ++message)
            sent += sessions[index]->sendText(m_options.payload) ? 1 : 0;
    }
    const bool allEchoed = waitUntil([&] { return echoes >= sent; }, m_options.phaseTimeoutMs);
    figures.messageSeconds = double(monotonicNowNs() - sendStart) / 1e9;
    figures.messageCpuSeconds = cpuSecondsSelf() - cpuStart;
    counting = false;
    figures.messages = sent;
    figures.echoes = echoes;
    if (!allEchoed && figures.note.isEmpty())
        figures.note = u"%1 of %2 echoes after %3 ms"_s.arg(echoes).arg(sent)
                           .arg(m_options.phaseTimeoutMs);

    figures.ok = allTried && allEchoed && figures.failed == 0 && figures.dropped == 0
        && figures.connected == m_options.sessions;

    // Close them all, and wait for the close handshakes before the manager goes.
    progress(u"engine: closing"_s);
    qint64 finished = 0;
    closing = true;
    for (Session *session : sessions) {
        if (session->state() == SessionState::Closed)
            ++finished;
        else
            QObject::connect(session, &Session::finished, session, [&] { ++finished; });
    }
    manager->closeAll();
    waitUntil([&] { return finished >= qint64(sessions.size()); }, 60'000);
    manager.reset();
    return figures;
}

} // namespace wsprobe::bench
