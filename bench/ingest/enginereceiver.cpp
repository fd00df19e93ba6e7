#include "enginereceiver.h"

#include <clock.h>
#include <logmemorybudget.h>

using namespace Qt::StringLiterals;

namespace wsprobe::bench {

EngineReceiver::EngineReceiver(qint64 expectedMessages, qint64 logBudgetBytes, QObject *parent)
    : QObject(parent)
    , m_session(this)
    , m_expected(expectedMessages)
{
    if (logBudgetBytes > 0)
        m_session.log()->setMemoryBudget(std::make_shared<LogMemoryBudget>(logBudgetBytes));
    connect(m_session.log(), &FrameLog::eventsAppended, this, &EngineReceiver::onAppended);
    connect(&m_session, &Session::finished, this, &EngineReceiver::onFinished);
}

void EngineReceiver::start(const QUrl &url)
{
    SessionSettings settings;  // defaults: logCapacity 0 keeps every event
    settings.url = url;
    m_session.setSettings(settings);
    m_session.open();
}

void EngineReceiver::onAppended(qint64 first, qint64 end)
{
    const FrameLog *log = m_session.log();
    for (qint64 sequence = first; sequence < end; ++sequence) {
        const FrameEvent event = log->headerAt(sequence);
        if (event.direction != Direction::Incoming || !event.isMessage())
            continue;
        if (m_count == 0)
            m_firstNs = monotonicNowNs();
        m_bytes += event.size;
        if (++m_count == m_expected)
            m_lastNs = monotonicNowNs();
    }
}

void EngineReceiver::onFinished()
{
    const CloseInfo close = m_session.lastClose();
    if (m_count != m_expected) {
        m_error = u"received %1 messages, expected %2 (close %3%4)"_s
                      .arg(m_count)
                      .arg(m_expected)
                      .arg(close.code)
                      .arg(close.reason.isEmpty() ? QString() : u' ' + close.reason);
    } else if (close.code != 1000) {
        m_error = u"the connection ended with %1, not 1000"_s.arg(close.code);
    }
    Q_EMIT done();
}

ReceiverResult EngineReceiver::result() const
{
    ReceiverResult result;
    result.receiver = u"engine"_s;
    result.ok = m_error.isEmpty() && m_count == m_expected;
    result.messages = m_count;
    result.bytes = m_bytes;
    result.seconds = m_lastNs > m_firstNs ? double(m_lastNs - m_firstNs) / 1e9 : 0;
    result.peakRssKiB = peakRssKiB();
    const FrameLog *log = m_session.log();
    result.logRecordBytes = log->recordBytes();
    result.logPayloadBytesInMemory = log->payloadBytesInMemory();
    result.logPayloadBytesOnDisk = log->payloadBytesOnDisk();
    result.error = m_error;
    // A failed spill keeps the payloads in RAM: not what a run with a budget is to measure.
    if (result.error.isEmpty() && !log->spillError().isEmpty()) {
        result.ok = false;
        result.error = u"the log could not spill to disk: %1"_s.arg(log->spillError());
    }
    return result;
}

} // namespace wsprobe::bench
