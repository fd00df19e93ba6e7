#pragma once

#include "peerfigures.h"

#include <QUrl>

#include <functional>

namespace wsprobe::bench {

// The engine's side of bench/scale, in this process: N Sessions of one SessionManager (so they
// share its IoThreadPool) open with a bounded number connecting at once, are held, then each
// sends its messages and the echoes are counted in the sessions' logs.
class EngineLoad
{
public:
    struct Options
    {
        QUrl url;
        int sessions = 10'000;
        int concurrency = 256;
        int holdSeconds = 60;
        int messages = 100;
        QString payload;
        int phaseTimeoutMs = 300'000;  // for the connects, and for the echoes
    };

    explicit EngineLoad(const Options &options);
    // Blocks (turning the event loop) until done; says what it does on the way through progress.
    PeerFigures run(const std::function<void(const QString &)> &progress);

private:
    Options m_options;
};

} // namespace wsprobe::bench
